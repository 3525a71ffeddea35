using System.Data.Common;
using Nudge.Core.Profiles;

namespace Nudge.Storage.Profiles;

/// <summary>Profile state as last saved by its grain; read by the admin API.</summary>
public sealed class ProfileStore(Database database, DerivedStateWriter writer)
{
    public async Task<Profile?> LoadAsync(string profileId, CancellationToken ct) => (await LoadStoredAsync(profileId, ct)).Profile;

    private readonly BatchedReads<(Profile? Profile, bool Erased)> _stored = new((ids, ct) => ReadStoredAsync(database, ids, ct));

    /// <summary>
    /// The saved state and whether the profile was erased (what a grain needs to wake up); profiles asked for at the
    /// same time are read together.
    /// </summary>
    public Task<(Profile? Profile, bool Erased)> LoadStoredAsync(string profileId, CancellationToken ct) => _stored.ReadAsync(profileId, ct);

    private static async Task<IReadOnlyDictionary<string, (Profile?, bool)>> ReadStoredAsync(Database database, IReadOnlyList<string> ids, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            $"SELECT id, state, erased FROM profiles WHERE {database.InKeyList("id", "@p0")}", database.KeyList(ids));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var stored = new Dictionary<string, (Profile?, bool)>(ids.Count, StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
            stored[reader.GetString(0)] = reader.GetInt64(2) != 0 ? (null, true) : (reader.FromJson<Profile>(1, StorageJson.Options), false);
        return stored;
    }

    /// <summary>True when the profile was erased; its grain then ignores whatever still reaches it.</summary>
    public async Task<bool> IsErasedAsync(string profileId, CancellationToken ct) => (await LoadStoredAsync(profileId, ct)).Erased;

    /// <summary>Saves a profile's state (group-committed with other saves).</summary>
    public Task SaveAsync(Profile profile, CancellationToken ct) => writer.SaveProfileAsync(profile, ct);

    /// <summary>Replaces a profile's data by a tombstone, so late events cannot bring it back.</summary>
    public async Task EraseAsync(string workspaceId, IEnumerable<string> profileIds, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        foreach (var id in profileIds)
        {
            await connection.ExecuteAsync(
                "INSERT INTO profiles (id, workspace_id, state, search_text, last_seen, erased) VALUES (@p0, @p1, '{}', '', NULL, 1) " +
                "ON CONFLICT (id) DO UPDATE SET state = '{}', search_text = '', last_seen = NULL, erased = 1",
                ct, id, workspaceId);
            // What segments knew about the person goes too.
            await connection.ExecuteAsync("DELETE FROM segment_members WHERE profile_id = @p0", ct, id);
            await connection.ExecuteAsync("DELETE FROM condition_tallies WHERE profile_id = @p0", ct, id);
            await connection.ExecuteAsync("DELETE FROM timers WHERE profile_id = @p0", ct, id);
        }
    }

    /// <summary>Finds profiles by email, phone, user id, profile id or name (case-insensitive substring).</summary>
    public async Task<IReadOnlyList<Profile>> SearchAsync(string workspaceId, string? query, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var text = (query ?? "").Trim().ToLowerInvariant();
        await using var command = text.Length == 0
            ? connection.Command("SELECT state FROM profiles WHERE workspace_id = @p0 AND erased = 0 ORDER BY last_seen DESC NULLS LAST LIMIT @p1", workspaceId, limit)
            : connection.Command(
                "SELECT state FROM profiles WHERE workspace_id = @p0 AND erased = 0 AND search_text LIKE @p2 ESCAPE '\\' ORDER BY last_seen DESC NULLS LAST LIMIT @p1",
                workspaceId, limit, "%" + EscapeLike(text) + "%");
        return await ReadProfilesAsync(command, ct);
    }

    private static async Task<IReadOnlyList<Profile>> ReadProfilesAsync(DbCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var profiles = new List<Profile>();
        while (await reader.ReadAsync(ct))
            profiles.Add(reader.FromJson<Profile>(0, StorageJson.Options)!);
        return profiles;
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
}
