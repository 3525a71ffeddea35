using System.Text.Json;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;
using Nudge.Core.Profiles;

namespace Nudge.Storage.Segments;

/// <summary>The bulk reads of a segment build: a range of the log, the merges, pages of profiles.</summary>
public sealed class SegmentBuildReads(Database database)
{
    /// <summary>
    /// Track events of a workspace with one of <paramref name="names"/> and a sequence in
    /// (<paramref name="afterSequence"/>, <paramref name="throughSequence"/>], in log order; read along the
    /// primary key, so a build reads the log front to back once.
    /// </summary>
    /// <returns>The matching events and the sequence the page read through (the next page starts after it).</returns>
    public async Task<(IReadOnlyList<LoggedEvent> Events, long ReadThrough)> TrackEventsAsync(
        string workspaceId, IReadOnlyCollection<string> names, long afterSequence, long throughSequence, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT seq, profile_id, message_id, name, timestamp, received_at, key_kind, body FROM events " +
            "WHERE seq > @p0 AND seq <= @p1 AND workspace_id = @p2 AND type = @p3 ORDER BY seq LIMIT @p4",
            afterSequence, throughSequence, workspaceId, (long)MessageType.Track, limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var events = new List<LoggedEvent>();
        var wanted = names as ISet<string> ?? names.ToHashSet(StringComparer.Ordinal);
        var rows = 0;
        var readThrough = afterSequence;
        while (await reader.ReadAsync(ct))
        {
            rows++;
            var sequence = readThrough = reader.GetInt64(0);
            var name = reader.IsDBNull(3) ? null : reader.GetString(3);
            // Bodies are parsed only for the names the segment asks about.
            if (name is null || !wanted.Contains(name))
                continue;
            events.Add(new LoggedEvent(
                sequence, workspaceId, reader.GetString(1), reader.GetString(2), MessageType.Track, name,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                (KeyKind)reader.GetInt64(6), JsonSerializer.Deserialize<JsonElement>(reader.GetString(7)), EventIdentity.None));
        }
        return (events, rows < limit ? throughSequence : readThrough);
    }

    /// <summary>The sequence of the newest event in the log (0 when empty).</summary>
    public async Task<long> LastSequenceAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ScalarAsync<long?>("SELECT MAX(seq) FROM events", ct) ?? 0;
    }

    /// <summary>Absorbed profile id to the profile that finally survived it, for a workspace.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SurvivorsAsync(string workspaceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var direct = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = connection.Command("SELECT absorbed_id, survivor_id FROM profile_merges WHERE workspace_id = @p0", workspaceId))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                direct[reader.GetString(0)] = reader.GetString(1);
        }

        var final = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var absorbed in direct.Keys)
        {
            var survivor = direct[absorbed];
            for (var hops = 0; direct.TryGetValue(survivor, out var next) && hops < direct.Count; hops++)
                survivor = next;
            final[absorbed] = survivor;
        }
        return final;
    }

    /// <summary>Profiles of a workspace in id order after <paramref name="afterId"/> (keyset paging).</summary>
    public async Task<IReadOnlyList<Profile>> ProfilesAsync(string workspaceId, string afterId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT state FROM profiles WHERE workspace_id = @p0 AND id > @p1 AND erased = 0 ORDER BY id LIMIT @p2", workspaceId, afterId, limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var profiles = new List<Profile>();
        while (await reader.ReadAsync(ct))
        {
            var profile = JsonSerializer.Deserialize<Profile>(reader.GetString(0), StorageJson.Options)!;
            if (profile.MergedInto is null)
                profiles.Add(profile);
        }
        return profiles;
    }

    /// <summary>The members of some segments, for builds of segments that read other segments.</summary>
    public async Task<IReadOnlySet<(string SegmentId, string ProfileId)>> MembersOfAsync(IReadOnlyCollection<string> segmentIds, CancellationToken ct)
    {
        var members = new HashSet<(string, string)>();
        await using var connection = await database.OpenAsync(ct);
        foreach (var id in segmentIds)
        {
            await using var command = connection.Command("SELECT profile_id FROM segment_members WHERE segment_id = @p0 AND member = 1", id);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                members.Add((id, reader.GetString(0)));
        }
        return members;
    }

    /// <summary>Profiles with events after <paramref name="afterSequence"/> (those a build's result may not reflect yet).</summary>
    public async Task<IReadOnlyList<string>> ProfilesWithEventsAfterAsync(string workspaceId, long afterSequence, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT DISTINCT profile_id FROM events WHERE seq > @p0 AND workspace_id = @p1", afterSequence, workspaceId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<string>();
        while (await reader.ReadAsync(ct))
            ids.Add(reader.GetString(0));
        return ids;
    }
}
