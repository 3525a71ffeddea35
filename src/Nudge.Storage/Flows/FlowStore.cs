using System.Data.Common;

namespace Nudge.Storage.Flows;

/// <summary>Flow definitions and their versions. Runs are kept by the profiles' grains (<see cref="FlowRunStore"/>).</summary>
public sealed class FlowStore(Database database, TimeProvider time)
{
    private const string Columns =
        "f.id, f.workspace_id, f.name, f.status, f.version, f.live_version, v.definition, f.created_at, f.updated_at";

    private const string FromLatest = "FROM flows f JOIN flow_versions v ON v.flow_id = f.id AND v.version = f.version";

    /// <summary>A new flow in draft, at version 1.</summary>
    public async Task<FlowRecord> CreateAsync(string workspaceId, string name, string definition, CancellationToken ct)
    {
        var id = "flw_" + Guid.CreateVersion7().ToString("N");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        using (await database.WriteTurnAsync(ct))
        {
            await using var connection = await database.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await Run(connection, transaction, ct,
                "INSERT INTO flows (id, workspace_id, name, status, version, live_version, created_at, updated_at) VALUES (@p0, @p1, @p2, @p3, 1, NULL, @p4, @p4)",
                id, workspaceId, name, FlowRecord.Draft, now);
            await Run(connection, transaction, ct,
                "INSERT INTO flow_versions (flow_id, version, definition, move_runs, created_at) VALUES (@p0, 1, @p1, 0, @p2)", id, definition, now);
            await transaction.CommitAsync(ct);
        }
        return (await GetAsync(workspaceId, id, ct))!;
    }

    /// <summary>
    /// Saves an edit as a new version. A live or paused flow starts new runs on it at once; runs in progress move to
    /// it only when <paramref name="moveRuns"/> says so. Null when there is no such flow; an archived flow is not edited.
    /// </summary>
    public async Task<FlowRecord?> SaveVersionAsync(string workspaceId, string id, string name, string definition, bool moveRuns, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        using (await database.WriteTurnAsync(ct))
        {
            await using var connection = await database.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var changed = await Run(connection, transaction, ct,
                "UPDATE flows SET name = @p2, version = version + 1, updated_at = @p3, " +
                "live_version = CASE WHEN status IN ('live', 'paused') THEN version + 1 ELSE live_version END " +
                "WHERE workspace_id = @p0 AND id = @p1 AND status <> 'archived'",
                workspaceId, id, name, now);
            if (changed == 0)
                return null;
            await Run(connection, transaction, ct,
                "INSERT INTO flow_versions (flow_id, version, definition, move_runs, created_at) " +
                "SELECT id, version, @p1, @p2, @p3 FROM flows WHERE id = @p0", id, definition, moveRuns ? 1L : 0L, now);
            await transaction.CommitAsync(ct);
        }
        return await GetAsync(workspaceId, id, ct);
    }

    /// <summary>Activates (new runs start on the latest version), pauses or archives a flow; null when there is no such flow.</summary>
    public async Task<FlowRecord?> SetStatusAsync(string workspaceId, string id, string status, CancellationToken ct)
    {
        using (await database.WriteTurnAsync(ct))
        {
            await using var connection = await database.OpenAsync(ct);
            var changed = await connection.ExecuteAsync(
                "UPDATE flows SET status = @p2, updated_at = @p3, live_version = CASE WHEN @p2 = 'live' THEN version ELSE live_version END " +
                "WHERE workspace_id = @p0 AND id = @p1",
                ct, workspaceId, id, status, time.GetUtcNow().ToUnixTimeMilliseconds());
            if (changed == 0)
                return null;
        }
        return await GetAsync(workspaceId, id, ct);
    }

    public async Task<FlowRecord?> GetAsync(string workspaceId, string id, CancellationToken ct)
    {
        var found = await ReadAsync($"SELECT {Columns} {FromLatest} WHERE f.workspace_id = @p0 AND f.id = @p1", ct, workspaceId, id);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>The flows of a workspace, oldest first.</summary>
    public Task<IReadOnlyList<FlowRecord>> ListAsync(string workspaceId, CancellationToken ct) =>
        ReadAsync($"SELECT {Columns} {FromLatest} WHERE f.workspace_id = @p0 ORDER BY f.created_at, f.id", ct, workspaceId);

    /// <summary>Every flow of every workspace (for the engine's catalog).</summary>
    public Task<IReadOnlyList<FlowRecord>> ListAllAsync(CancellationToken ct) =>
        ReadAsync($"SELECT {Columns} {FromLatest} ORDER BY f.workspace_id, f.id", ct);

    /// <summary>Every version of one flow, oldest first.</summary>
    public async Task<IReadOnlyList<FlowVersion>> VersionsAsync(string flowId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT flow_id, version, definition, move_runs, created_at FROM flow_versions WHERE flow_id = @p0 ORDER BY version", flowId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var versions = new List<FlowVersion>();
        while (await reader.ReadAsync(ct))
        {
            versions.Add(new FlowVersion(reader.GetString(0), (int)reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3) == 1,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
        }
        return versions;
    }

    /// <summary>The last occurrence a scheduled flow fired (or skipped), or null before its first.</summary>
    public async Task<DateTimeOffset?> LastScheduledAsync(string flowId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var last = await connection.ScalarAsync<long?>("SELECT last_occurrence FROM flow_schedules WHERE flow_id = @p0", ct, flowId);
        return last is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>Records that a scheduled flow has dealt with <paramref name="occurrence"/>.</summary>
    public async Task MarkScheduledAsync(string flowId, DateTimeOffset occurrence, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "INSERT INTO flow_schedules (flow_id, last_occurrence) VALUES (@p0, @p1) " +
            "ON CONFLICT (flow_id) DO UPDATE SET last_occurrence = excluded.last_occurrence", ct, flowId, occurrence.ToUnixTimeMilliseconds());
    }

    private static async Task<int> Run(DbConnection connection, DbTransaction transaction, CancellationToken ct, string sql, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        command.Transaction = transaction;
        return await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<IReadOnlyList<FlowRecord>> ReadAsync(string sql, CancellationToken ct, params object?[] args)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var flows = new List<FlowRecord>();
        while (await reader.ReadAsync(ct))
        {
            flows.Add(new FlowRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), (int)reader.GetInt64(4),
                reader.IsDBNull(5) ? null : (int)reader.GetInt64(5), reader.GetString(6),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8))));
        }
        return flows;
    }
}
