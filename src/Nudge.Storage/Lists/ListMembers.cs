using System.Text;
using Nudge.Core.Identity;

namespace Nudge.Storage.Lists;

/// <summary>
/// Reads list membership as the profiles' grains saved it: pages of members, counts, and where a person stands.
/// Like every saved profile state it trails the log by up to about a second.
/// </summary>
public sealed class ListMembers(Database database)
{
    /// <summary>How many ids one lookup names; well below the parameter limits of both databases.</summary>
    private const int LookupChunk = 500;

    /// <summary>Current members in profile id order, after <paramref name="afterProfileId"/> (keyset paging), with an email of each.</summary>
    public async Task<IReadOnlyList<ListMember>> PageAsync(string listId, string? afterProfileId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT m.profile_id, m.joined_at, m.changes, " +
            "(SELECT MIN(i.value) FROM identities i WHERE i.profile_id = m.profile_id AND i.kind = @p3) " +
            "FROM list_members m WHERE m.list_id = @p0 AND m.profile_id > @p1 AND m.member = 1 ORDER BY m.profile_id LIMIT @p2",
            listId, afterProfileId ?? "", limit, (long)IdentityKind.Email);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var members = new List<ListMember>();
        while (await reader.ReadAsync(ct))
            members.Add(new ListMember(reader.GetString(0), reader.NullableString(3), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetInt64(2)));
        return members;
    }

    public async Task<long> CountAsync(string listId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ScalarAsync<long>("SELECT COUNT(*) FROM list_members WHERE list_id = @p0 AND member = 1", ct, listId);
    }

    /// <summary>Where a profile stands on a list (never joined: not a member, no changes).</summary>
    public async Task<ListStanding> StandingAsync(string listId, string profileId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT member, changes FROM list_members WHERE list_id = @p0 AND profile_id = @p1", listId, profileId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new ListStanding(profileId, reader.GetInt64(0) == 1, reader.GetInt64(1))
            : new ListStanding(profileId, false, 0);
    }

    /// <summary>
    /// Where the people these ids point at stand on a list, for ids that point at a profile; ids nobody has yet
    /// are left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<IdentityKey, ListStanding>> StandingsAsync(
        string workspaceId, string listId, IReadOnlyCollection<IdentityKey> ids, CancellationToken ct)
    {
        var found = new Dictionary<IdentityKey, ListStanding>();
        if (ids.Count == 0)
            return found;
        await using var connection = await database.OpenAsync(ct);
        foreach (var kind in ids.GroupBy(i => i.Kind))
        {
            foreach (var chunk in kind.Select(i => i.Value).Distinct(StringComparer.Ordinal).Chunk(LookupChunk))
            {
                var sql = new StringBuilder(
                    "SELECT i.value, i.profile_id, m.member, m.changes FROM identities i " +
                    "LEFT JOIN list_members m ON m.list_id = @p0 AND m.profile_id = i.profile_id " +
                    "WHERE i.workspace_id = @p1 AND i.kind = @p2 AND i.value IN (");
                var args = new List<object?> { listId, workspaceId, (long)kind.Key };
                for (var i = 0; i < chunk.Length; i++)
                {
                    sql.Append(i == 0 ? "@p" : ", @p").Append(args.Count);
                    args.Add(chunk[i]);
                }
                sql.Append(')');

                await using var command = connection.Command(sql.ToString(), [.. args]);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    found[new IdentityKey(kind.Key, reader.GetString(0))] = new ListStanding(
                        reader.GetString(1), !reader.IsDBNull(2) && reader.GetInt64(2) == 1, reader.IsDBNull(3) ? 0 : reader.GetInt64(3));
                }
            }
        }
        return found;
    }

    /// <summary>Forgets erased profiles' memberships (GDPR erasure); their events are gone already.</summary>
    public async Task ForgetAsync(IEnumerable<string> profileIds, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        foreach (var id in profileIds)
            await connection.ExecuteAsync("DELETE FROM list_members WHERE profile_id = @p0", ct, id);
    }
}

/// <summary>A current member of a list.</summary>
/// <param name="ProfileId">The member's profile.</param>
/// <param name="Email">An email address of the member, if known.</param>
/// <param name="JoinedAt">When they joined.</param>
/// <param name="Changes">How many times they joined or left; names the next join or leave event.</param>
public sealed record ListMember(string ProfileId, string? Email, DateTimeOffset JoinedAt, long Changes);

/// <summary>Where one profile stands on one list.</summary>
/// <param name="ProfileId">The profile.</param>
/// <param name="IsMember">True while the person is on the list.</param>
/// <param name="Changes">How many times they joined or left; names the next join or leave event.</param>
public sealed record ListStanding(string ProfileId, bool IsMember, long Changes);
