using System.Data.Common;
using System.Text.Json;

namespace Nudge.Storage.Imports;

/// <summary>
/// The imports and their checkpoints (ADR 0017). A checkpoint is written after the log has committed a batch, so
/// everything before it is in the log; what the log committed after the last checkpoint is found again by
/// <see cref="MessageIdsAfterAsync"/> when the import resumes.
/// </summary>
public sealed class ImportStore(Database database, TimeProvider time)
{
    private const string Columns =
        "id, workspace_id, kind, format, file_name, fingerprint, mapping, file_path, status, total_bytes, next_offset, next_line, header, " +
        "last_seq, rows_imported, rows_skipped, rows_failed, errors, message, created_at, updated_at, finished_at";

    /// <summary>
    /// Registers a new import, or returns the one already registered with the same fingerprint (<c>Created</c> false):
    /// the same file imported the same way is one import, whatever its state.
    /// </summary>
    public async Task<(ImportRecord Import, bool Created)> StartAsync(
        string workspaceId, string kind, string format, string fileName, string fingerprint, string mapping, string? filePath, long totalBytes,
        CancellationToken ct)
    {
        var id = "imp_" + Guid.CreateVersion7().ToString("N");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        int added;
        using (await database.WriteTurnAsync(ct))
        {
            await using var connection = await database.OpenAsync(ct);
            added = await connection.ExecuteAsync(
                $"INSERT INTO imports ({Columns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, 0, 1, NULL, 0, 0, 0, 0, '[]', NULL, @p10, @p10, NULL) " +
                "ON CONFLICT (workspace_id, fingerprint) DO NOTHING",
                ct, id, workspaceId, kind, format, fileName, fingerprint, mapping, filePath, ImportStatus.Running, totalBytes, now);
        }
        var stored = await FindByFingerprintAsync(workspaceId, fingerprint, ct)
            ?? throw new InvalidOperationException("An import just registered could not be read back.");
        return (stored, added == 1);
    }

    /// <summary>One import of the workspace; null when there is none with that id.</summary>
    public async Task<ImportRecord?> GetAsync(string workspaceId, string id, CancellationToken ct) =>
        (await QueryAsync($"SELECT {Columns} FROM imports WHERE workspace_id = @p0 AND id = @p1", ct, workspaceId, id)).FirstOrDefault();

    /// <summary>The workspace's imports, newest first.</summary>
    public Task<IReadOnlyList<ImportRecord>> ListAsync(string workspaceId, int limit, CancellationToken ct) =>
        QueryAsync($"SELECT {Columns} FROM imports WHERE workspace_id = @p0 ORDER BY created_at DESC, id DESC LIMIT @p1", ct, workspaceId, limit);

    /// <summary>Imports that were running when the process stopped, of every workspace, oldest first.</summary>
    public Task<IReadOnlyList<ImportRecord>> UnfinishedAsync(CancellationToken ct) =>
        QueryAsync($"SELECT {Columns} FROM imports WHERE status = @p0 ORDER BY created_at, id", ct, ImportStatus.Running);

    /// <summary>Remembers the CSV header read at the start, for resuming mid-file.</summary>
    public async Task SetHeaderAsync(string id, string header, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync("UPDATE imports SET header = @p1 WHERE id = @p0", ct, id, header);
    }

    /// <summary>Points an interrupted import at a new copy of its file (the same bytes, uploaded again).</summary>
    public async Task SetFileAsync(string id, string path, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync("UPDATE imports SET file_path = @p1 WHERE id = @p0", ct, id, path);
    }

    /// <summary>Moves the checkpoint on; call only after the log committed everything before it.</summary>
    public async Task SaveCheckpointAsync(string id, ImportCheckpoint checkpoint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "UPDATE imports SET next_offset = @p1, next_line = @p2, last_seq = @p3, rows_imported = @p4, rows_skipped = @p5, rows_failed = @p6, " +
            "errors = @p7, updated_at = @p8 WHERE id = @p0",
            ct, id, checkpoint.NextOffset, checkpoint.NextLine, checkpoint.LastSequence, checkpoint.Imported, checkpoint.Skipped, checkpoint.Failed,
            JsonSerializer.Serialize(checkpoint.Errors, StorageJson.Options), time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary>Ends an import: completed (its last checkpoint covers the whole file) or failed with a reason.</summary>
    public async Task FinishAsync(string id, string status, string? message, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "UPDATE imports SET status = @p1, message = @p2, updated_at = @p3, finished_at = @p3, file_path = NULL WHERE id = @p0",
            ct, id, status, message, now);
    }

    /// <summary>
    /// Forgets a failed import, so that its file can be imported again from the start (a failure is about the file as
    /// a whole: unreadable, or its upload vanished).
    /// </summary>
    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync("DELETE FROM imports WHERE id = @p0", ct, id);
    }

    /// <summary>
    /// The message ids starting with <paramref name="prefix"/> that the workspace's log holds after
    /// <paramref name="sequence"/>: what a batch committed just before an interruption, after the last checkpoint.
    /// Reads along the log's primary key from the checkpoint on, so it stays cheap however old the interruption.
    /// </summary>
    public async Task<IReadOnlySet<string>> MessageIdsAfterAsync(string workspaceId, long sequence, string prefix, CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("SELECT message_id FROM events WHERE seq > @p0 AND workspace_id = @p1", sequence, workspaceId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetString(0);
            if (id.StartsWith(prefix, StringComparison.Ordinal))
                ids.Add(id);
        }
        return ids;
    }

    private async Task<ImportRecord?> FindByFingerprintAsync(string workspaceId, string fingerprint, CancellationToken ct) =>
        (await QueryAsync($"SELECT {Columns} FROM imports WHERE workspace_id = @p0 AND fingerprint = @p1", ct, workspaceId, fingerprint)).FirstOrDefault();

    private async Task<IReadOnlyList<ImportRecord>> QueryAsync(string sql, CancellationToken ct, params object?[] args)
    {
        var found = new List<ImportRecord>();
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            found.Add(Read(reader));
        return found;
    }

    private static ImportRecord Read(DbDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.GetString(3),
        r.GetString(4),
        r.GetString(5),
        r.GetString(6),
        r.NullableString(7),
        r.GetString(8),
        r.GetInt64(9),
        new ImportCheckpoint(
            r.GetInt64(10), r.GetInt64(11), r.GetInt64(13), r.GetInt64(14), r.GetInt64(15), r.GetInt64(16),
            JsonSerializer.Deserialize<List<ImportRowError>>(r.GetString(17), StorageJson.Options) ?? []),
        r.NullableString(12),
        r.NullableString(18),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(19)),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(20)),
        r.IsDBNull(21) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(21)));
}
