using System.Data.Common;
using System.Text.Json;

namespace Nudge.Storage.Lists;

/// <summary>List definitions. Members are kept by the profiles' grains (<see cref="ListMembers"/>).</summary>
public sealed class ListStore(Database database, TimeProvider time)
{
    private const string Columns = "id, workspace_id, name, description, double_opt_in, allowed_redirects, created_at, updated_at";

    public async Task<ListRecord> CreateAsync(string workspaceId, ListDraft draft, CancellationToken ct)
    {
        var id = "lst_" + Guid.CreateVersion7().ToString("N");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        using (await database.WriteTurnAsync(ct))
        {
            await using var connection = await database.OpenAsync(ct);
            await connection.ExecuteAsync(
                "INSERT INTO lists (id, workspace_id, name, description, double_opt_in, allowed_redirects, created_at, updated_at) " +
                "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p6)",
                ct, id, workspaceId, draft.Name, draft.Description, draft.DoubleOptIn ? 1L : 0L, Redirects(draft), now);
        }
        return (await GetAsync(workspaceId, id, ct))!;
    }

    /// <summary>Replaces what an admin sets; null when there is no such list.</summary>
    public async Task<ListRecord?> UpdateAsync(string workspaceId, string id, ListDraft draft, CancellationToken ct)
    {
        using (await database.WriteTurnAsync(ct))
        {
            await using var connection = await database.OpenAsync(ct);
            var changed = await connection.ExecuteAsync(
                "UPDATE lists SET name = @p2, description = @p3, double_opt_in = @p4, allowed_redirects = @p5, updated_at = @p6 " +
                "WHERE workspace_id = @p0 AND id = @p1 AND deleted = 0",
                ct, workspaceId, id, draft.Name, draft.Description, draft.DoubleOptIn ? 1L : 0L, Redirects(draft), time.GetUtcNow().ToUnixTimeMilliseconds());
            if (changed == 0)
                return null;
        }
        return await GetAsync(workspaceId, id, ct);
    }

    /// <summary>
    /// Marks a list deleted; true when it existed. Its members leave through <c>List Left</c> events, which the
    /// caller appends: membership is only ever changed by the log.
    /// </summary>
    public async Task<bool> DeleteAsync(string workspaceId, string id, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(
            "UPDATE lists SET deleted = 1, updated_at = @p2 WHERE workspace_id = @p0 AND id = @p1 AND deleted = 0",
            ct, workspaceId, id, time.GetUtcNow().ToUnixTimeMilliseconds()) == 1;
    }

    public async Task<ListRecord?> GetAsync(string workspaceId, string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await ReadAsync(connection, $"SELECT {Columns} FROM lists WHERE workspace_id = @p0 AND id = @p1 AND deleted = 0", ct, workspaceId, id);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>A live list by id alone, for the public signup form (the list id tells the workspace).</summary>
    public async Task<ListRecord?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await ReadAsync(connection, $"SELECT {Columns} FROM lists WHERE id = @p0 AND deleted = 0", ct, id);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>The lists of a workspace, oldest first.</summary>
    public async Task<IReadOnlyList<ListRecord>> ListAsync(string workspaceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ReadAsync(connection, $"SELECT {Columns} FROM lists WHERE workspace_id = @p0 AND deleted = 0 ORDER BY created_at, id", ct, workspaceId);
    }

    private static string Redirects(ListDraft draft) => JsonSerializer.Serialize(draft.AllowedRedirects, StorageJson.Options);

    private static async Task<IReadOnlyList<ListRecord>> ReadAsync(DbConnection connection, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var lists = new List<ListRecord>();
        while (await reader.ReadAsync(ct))
        {
            lists.Add(new ListRecord(
                Id: reader.GetString(0),
                WorkspaceId: reader.GetString(1),
                Name: reader.GetString(2),
                Description: reader.NullableString(3),
                DoubleOptIn: reader.GetInt64(4) == 1,
                AllowedRedirects: JsonSerializer.Deserialize<List<string>>(reader.GetString(5), StorageJson.Options) ?? [],
                CreatedAt: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                UpdatedAt: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7))));
        }
        return lists;
    }
}
