using System.Data.Common;

namespace Nudge.Storage.Segments;

/// <summary>Segment definitions and the progress of their builds.</summary>
public sealed class SegmentStore(Database database, TimeProvider time)
{
    private const string Columns =
        "id, workspace_id, name, definition, version, status, build_through, build_phase, build_done, build_total, " +
        "build_started_at, build_finished_at, created_at, updated_at";

    /// <summary>Stores a new segment in the building state; its build counts the log up to <paramref name="buildThrough"/>.</summary>
    public async Task<SegmentRecord> CreateAsync(string workspaceId, string name, string definition, long buildThrough, CancellationToken ct)
    {
        var id = "seg_" + Guid.CreateVersion7().ToString("N");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        using (await database.WriteTurnAsync(ct))
        {
            await using var connection = await database.OpenAsync(ct);
            await connection.ExecuteAsync(
                "INSERT INTO segments (id, workspace_id, name, definition, version, status, build_through, build_phase, created_at, updated_at) " +
                "VALUES (@p0, @p1, @p2, @p3, 1, 'building', @p4, 'scanning', @p5, @p5)",
                ct, id, workspaceId, name, definition, buildThrough, now);
        }
        return (await GetAsync(workspaceId, id, ct))!;
    }

    /// <summary>Replaces the definition: a new version whose members are built again in the background.</summary>
    public async Task<SegmentRecord?> UpdateAsync(string workspaceId, string id, string name, string definition, long buildThrough, CancellationToken ct)
    {
        using (await database.WriteTurnAsync(ct))
        {
            await using var connection = await database.OpenAsync(ct);
            var changed = await connection.ExecuteAsync(
                "UPDATE segments SET name = @p2, definition = @p3, version = version + 1, status = 'building', build_through = @p4, " +
                "build_phase = 'scanning', build_done = 0, build_total = 0, build_checkpoint = NULL, build_started_at = NULL, " +
                "build_finished_at = NULL, updated_at = @p5 WHERE workspace_id = @p0 AND id = @p1 AND deleted = 0",
                ct, workspaceId, id, name, definition, buildThrough, time.GetUtcNow().ToUnixTimeMilliseconds());
            if (changed == 0)
                return null;
        }
        return await GetAsync(workspaceId, id, ct);
    }

    /// <summary>Deletes a segment and its members; true when it existed.</summary>
    public async Task<bool> DeleteAsync(string workspaceId, string id, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var delete = connection.Command(
            "UPDATE segments SET deleted = 1, build_checkpoint = NULL, updated_at = @p2 WHERE workspace_id = @p0 AND id = @p1 AND deleted = 0",
            workspaceId, id, time.GetUtcNow().ToUnixTimeMilliseconds());
        delete.Transaction = transaction;
        if (await delete.ExecuteNonQueryAsync(ct) == 0)
            return false;
        await using var members = connection.Command("DELETE FROM segment_members WHERE segment_id = @p0", id);
        members.Transaction = transaction;
        await members.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    public async Task<SegmentRecord?> GetAsync(string workspaceId, string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await ReadAsync(connection, $"SELECT {Columns} FROM segments WHERE workspace_id = @p0 AND id = @p1 AND deleted = 0", ct, workspaceId, id);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>The segments of a workspace, oldest first.</summary>
    public async Task<IReadOnlyList<SegmentRecord>> ListAsync(string workspaceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ReadAsync(connection, $"SELECT {Columns} FROM segments WHERE workspace_id = @p0 AND deleted = 0 ORDER BY created_at, id", ct, workspaceId);
    }

    /// <summary>Every live segment of every workspace, for the engine's catalog.</summary>
    public async Task<IReadOnlyList<SegmentRecord>> ListAllAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ReadAsync(connection, $"SELECT {Columns} FROM segments WHERE deleted = 0 ORDER BY workspace_id, created_at, id", ct);
    }

    /// <summary>Records build progress of one version (ignored once the segment moved on to another version).</summary>
    public async Task SetBuildProgressAsync(string id, long version, string phase, long done, long total, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "UPDATE segments SET build_phase = @p2, build_done = @p3, build_total = @p4, " +
            "build_started_at = COALESCE(build_started_at, @p5) WHERE id = @p0 AND version = @p1",
            ct, id, version, phase, done, total, time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary>Saves a build's scan state so that a restart resumes from it.</summary>
    public async Task SaveCheckpointAsync(string id, long version, byte[] checkpoint, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync("UPDATE segments SET build_checkpoint = @p2 WHERE id = @p0 AND version = @p1", ct, id, version, checkpoint);
    }

    /// <summary>The saved scan state of a build, if any.</summary>
    public async Task<byte[]?> LoadCheckpointAsync(string id, long version, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("SELECT build_checkpoint FROM segments WHERE id = @p0 AND version = @p1", id, version);
        return await command.ExecuteScalarAsync(ct) as byte[];
    }

    /// <summary>Marks a version's members complete; from now on the grains keep them current.</summary>
    public async Task<bool> MarkReadyAsync(string id, long version, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(
            "UPDATE segments SET status = 'ready', build_phase = 'done', build_checkpoint = NULL, build_finished_at = @p2 " +
            "WHERE id = @p0 AND version = @p1 AND deleted = 0",
            ct, id, version, time.GetUtcNow().ToUnixTimeMilliseconds()) == 1;
    }

    private static async Task<IReadOnlyList<SegmentRecord>> ReadAsync(DbConnection connection, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var segments = new List<SegmentRecord>();
        while (await reader.ReadAsync(ct))
        {
            segments.Add(new SegmentRecord(
                Id: reader.GetString(0),
                WorkspaceId: reader.GetString(1),
                Name: reader.GetString(2),
                Definition: reader.GetString(3),
                Version: reader.GetInt64(4),
                Status: reader.GetString(5) == "ready" ? SegmentStatus.Ready : SegmentStatus.Building,
                BuildThrough: reader.GetInt64(6),
                Build: new SegmentBuildProgress(reader.GetString(7), reader.GetInt64(8), reader.GetInt64(9), Time(reader, 10), Time(reader, 11)),
                CreatedAt: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(12)),
                UpdatedAt: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(13))));
        }
        return segments;
    }

    private static DateTimeOffset? Time(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
