using System.Data.Common;
using Nudge.Core.Identity;

namespace Nudge.Storage.Events;

/// <summary>
/// The log writer's view of the identity table: a cache in front of the database, plus the changes of the
/// group being written. Changes reach the cache only after their transaction commits.
/// </summary>
internal sealed class IdentityDirectory
{
    private const int MaxCachedEntries = 2_000_000;

    private readonly Dictionary<(string Workspace, IdentityKey Key), IdentityLink?> _links = [];
    private readonly Dictionary<string, ProfileHead> _heads = [];
    private readonly Dictionary<(string Workspace, IdentityKey Key), IdentityLink?> _pendingLinks = [];
    private readonly Dictionary<string, ProfileHead> _pendingHeads = [];

    public async ValueTask<IdentityLink?> FindLinkAsync(DbConnection connection, DbTransaction transaction, string workspace, IdentityKey key, CancellationToken ct)
    {
        if (_pendingLinks.TryGetValue((workspace, key), out var pending))
            return pending;
        if (_links.TryGetValue((workspace, key), out var cached))
            return cached;

        await using var command = connection.Command(
            "SELECT profile_id, verified FROM identities WHERE workspace_id = @p0 AND kind = @p1 AND value = @p2",
            workspace, (int)key.Kind, key.Value);
        command.Transaction = transaction;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var link = await reader.ReadAsync(ct) ? new IdentityLink(key, reader.GetString(0), reader.GetInt64(1) != 0) : null;
        Remember(_links, (workspace, key), link);
        return link;
    }

    public async ValueTask<ProfileHead> FindProfileAsync(DbConnection connection, DbTransaction transaction, string profileId, CancellationToken ct)
    {
        if (_pendingHeads.TryGetValue(profileId, out var pending))
            return pending;
        if (_heads.TryGetValue(profileId, out var cached))
            return cached;

        var verified = false;
        string? userId = null;
        foreach (var (key, isVerified) in await LinksOfAsync(connection, transaction, profileId, ct))
        {
            verified |= isVerified;
            if (key.Kind == IdentityKind.UserId)
                userId = key.Value;
        }

        var head = new ProfileHead(profileId, verified, userId);
        Remember(_heads, profileId, head);
        return head;
    }

    public static async Task<List<(IdentityKey Key, bool Verified)>> LinksOfAsync(DbConnection connection, DbTransaction transaction, string profileId, CancellationToken ct)
    {
        await using var command = connection.Command("SELECT kind, value, verified FROM identities WHERE profile_id = @p0", profileId);
        command.Transaction = transaction;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var links = new List<(IdentityKey, bool)>();
        while (await reader.ReadAsync(ct))
            links.Add((new IdentityKey((IdentityKind)reader.GetInt64(0), reader.GetString(1)), reader.GetInt64(2) != 0));
        return links;
    }

    public void StageLink(string workspace, IdentityLink link) => _pendingLinks[(workspace, link.Key)] = link;

    public void StageHead(ProfileHead head) => _pendingHeads[head.ProfileId] = head;

    /// <summary>Makes the group's changes visible to later groups; call after the commit.</summary>
    public void Commit()
    {
        foreach (var (key, link) in _pendingLinks)
            Remember(_links, key, link);
        foreach (var (id, head) in _pendingHeads)
            Remember(_heads, id, head);
        Rollback();
    }

    /// <summary>Drops the group's changes; call when its transaction failed.</summary>
    public void Rollback()
    {
        _pendingLinks.Clear();
        _pendingHeads.Clear();
    }

    /// <summary>Forgets everything cached, e.g. after a profile was erased.</summary>
    public void Clear()
    {
        _links.Clear();
        _heads.Clear();
        Rollback();
    }

    private static void Remember<TKey, TValue>(Dictionary<TKey, TValue> cache, TKey key, TValue value) where TKey : notnull
    {
        // A crude bound: the cache refills from the database on demand.
        if (cache.Count >= MaxCachedEntries)
            cache.Clear();
        cache[key] = value;
    }
}
