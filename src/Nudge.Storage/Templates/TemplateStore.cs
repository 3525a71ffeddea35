using System.Data.Common;

namespace Nudge.Storage.Templates;

/// <summary>Templates and every version of them. A save never changes a version: it adds the next one.</summary>
public sealed class TemplateStore(Database database, TimeProvider time)
{
    private const string Columns = "id, workspace_id, name, kind, version, parts, created_at, updated_at";

    /// <summary>Stores version 1 of a new template; null when the workspace already has a template with this name.</summary>
    public async Task<TemplateRecord?> CreateAsync(string workspaceId, string name, string kind, string parts, CancellationToken ct)
    {
        var id = "tpl_" + Guid.CreateVersion7().ToString("N");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        using (await database.WriteTurnAsync(ct))
        {
            await using var connection = await database.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            if (await NameTakenAsync(connection, transaction, workspaceId, name, null, ct))
                return null;
            await RunAsync(connection, transaction, ct,
                "INSERT INTO templates (id, workspace_id, name, kind, version, parts, created_at, updated_at) VALUES (@p0, @p1, @p2, @p3, 1, @p4, @p5, @p5)",
                id, workspaceId, name, kind, parts, now);
            await RunAsync(connection, transaction, ct,
                "INSERT INTO template_versions (template_id, version, name, parts, created_at) VALUES (@p0, 1, @p1, @p2, @p3)", id, name, parts, now);
            await transaction.CommitAsync(ct);
        }
        return await GetAsync(workspaceId, id, ct);
    }

    /// <summary>Saves the next version. Null when there is no such template; <see cref="SaveOutcome.NameTaken"/> when another template has the name.</summary>
    public async Task<(SaveOutcome Outcome, TemplateRecord? Template)> UpdateAsync(
        string workspaceId, string id, string name, string parts, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        using (await database.WriteTurnAsync(ct))
        {
            await using var connection = await database.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using var current = connection.Command(
                "SELECT version FROM templates WHERE workspace_id = @p0 AND id = @p1 AND deleted = 0" + (database.IsSqlite ? "" : " FOR UPDATE"), workspaceId, id);
            current.Transaction = transaction;
            if (await current.ExecuteScalarAsync(ct) is not { } found || found is DBNull)
                return (SaveOutcome.NotFound, null);
            if (await NameTakenAsync(connection, transaction, workspaceId, name, id, ct))
                return (SaveOutcome.NameTaken, null);
            var version = Convert.ToInt64(found, System.Globalization.CultureInfo.InvariantCulture) + 1;
            await RunAsync(connection, transaction, ct,
                "UPDATE templates SET name = @p2, version = @p3, parts = @p4, updated_at = @p5 WHERE workspace_id = @p0 AND id = @p1",
                workspaceId, id, name, version, parts, now);
            await RunAsync(connection, transaction, ct,
                "INSERT INTO template_versions (template_id, version, name, parts, created_at) VALUES (@p0, @p1, @p2, @p3, @p4)", id, version, name, parts, now);
            await transaction.CommitAsync(ct);
        }
        return (SaveOutcome.Saved, await GetAsync(workspaceId, id, ct));
    }

    /// <summary>Deletes a template (its versions stay, so past sends can still be shown); true when it existed.</summary>
    public async Task<bool> DeleteAsync(string workspaceId, string id, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(
            "UPDATE templates SET deleted = 1, updated_at = @p2 WHERE workspace_id = @p0 AND id = @p1 AND deleted = 0",
            ct, workspaceId, id, time.GetUtcNow().ToUnixTimeMilliseconds()) == 1;
    }

    public async Task<TemplateRecord?> GetAsync(string workspaceId, string id, CancellationToken ct)
    {
        var found = await ReadAsync($"SELECT {Columns} FROM templates WHERE workspace_id = @p0 AND id = @p1 AND deleted = 0", ct, workspaceId, id);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>The templates of a workspace by name; <paramref name="kinds"/> narrows them to some kinds.</summary>
    public Task<IReadOnlyList<TemplateRecord>> ListAsync(string workspaceId, CancellationToken ct, params string[] kinds)
    {
        var filter = kinds.Length == 0 ? "" : " AND kind IN (" + string.Join(", ", kinds.Select((_, i) => "@p" + (i + 1))) + ")";
        return ReadAsync($"SELECT {Columns} FROM templates WHERE workspace_id = @p0 AND deleted = 0{filter} ORDER BY name, id", ct,
            [workspaceId, .. kinds]);
    }

    /// <summary>One version of a template of the workspace (also of a deleted template).</summary>
    public async Task<TemplateVersionRecord?> GetVersionAsync(string workspaceId, string id, long version, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT v.template_id, v.version, v.name, t.kind, v.parts, v.created_at FROM template_versions v JOIN templates t ON t.id = v.template_id " +
            "WHERE t.workspace_id = @p0 AND v.template_id = @p1 AND v.version = @p2", workspaceId, id, version);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        return new TemplateVersionRecord(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)));
    }

    /// <summary>The version numbers of a template, newest first.</summary>
    public async Task<IReadOnlyList<(long Version, DateTimeOffset CreatedAt)>> VersionsAsync(string workspaceId, string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT v.version, v.created_at FROM template_versions v JOIN templates t ON t.id = v.template_id " +
            "WHERE t.workspace_id = @p0 AND v.template_id = @p1 ORDER BY v.version DESC", workspaceId, id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var versions = new List<(long, DateTimeOffset)>();
        while (await reader.ReadAsync(ct))
            versions.Add((reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1))));
        return versions;
    }

    private static async Task<bool> NameTakenAsync(DbConnection connection, DbTransaction transaction, string workspaceId, string name, string? except, CancellationToken ct)
    {
        await using var command = connection.Command(
            "SELECT COUNT(*) FROM templates WHERE workspace_id = @p0 AND name = @p1 AND deleted = 0 AND id <> @p2", workspaceId, name, except ?? "");
        command.Transaction = transaction;
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static async Task RunAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct, string sql, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<IReadOnlyList<TemplateRecord>> ReadAsync(string sql, CancellationToken ct, params object?[] args)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var templates = new List<TemplateRecord>();
        while (await reader.ReadAsync(ct))
        {
            templates.Add(new TemplateRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                reader.GetString(5), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7))));
        }
        return templates;
    }
}

/// <summary>What became of a save.</summary>
public enum SaveOutcome
{
    /// <summary>The new version is stored.</summary>
    Saved,

    /// <summary>No such template in the workspace.</summary>
    NotFound,

    /// <summary>Another template of the workspace has the name.</summary>
    NameTaken,
}
