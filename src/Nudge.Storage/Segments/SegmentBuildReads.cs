using System.Text.Json;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;
using Nudge.Core.Profiles;

namespace Nudge.Storage.Segments;

/// <summary>The bulk reads of a segment build: a range of the log, the merges, pages of profiles.</summary>
public sealed class SegmentBuildReads(Database database)
{
    /// <summary>
    /// Hands the track events of a workspace with one of <paramref name="names"/> and a sequence in
    /// (<paramref name="afterSequence"/>, <paramref name="throughSequence"/>] to <paramref name="onEvent"/>, in log
    /// order, at most <paramref name="limit"/> rows per call; read along the primary key, so a build reads the log
    /// front to back once. Bodies are parsed only for the wanted names and when <paramref name="worthParsing"/>
    /// (given the name, the event time and the raw body) says they may match; the event's body is valid only during the callback
    /// (its document is released right after).
    /// </summary>
    /// <returns>The sequence the call read through; the next call starts after it.</returns>
    public async Task<long> ScanTrackEventsAsync(
        string workspaceId, IReadOnlySet<string> names, long afterSequence, long throughSequence, int limit,
        Func<string, DateTimeOffset, string, bool> worthParsing, Action<LoggedEvent> onEvent, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT seq, name, profile_id, timestamp, body FROM events " +
            "WHERE seq > @p0 AND seq <= @p1 AND workspace_id = @p2 AND type = @p3 ORDER BY seq LIMIT @p4",
            afterSequence, throughSequence, workspaceId, (long)MessageType.Track, limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = 0;
        var readThrough = afterSequence;
        while (await reader.ReadAsync(ct))
        {
            rows++;
            readThrough = reader.GetInt64(0);
            if (reader.IsDBNull(1) || reader.GetString(1) is not { } name || !names.Contains(name))
                continue;
            var at = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3));
            var text = reader.GetString(4);
            if (!worthParsing(name, at, text))
                continue;

            using var body = JsonDocument.Parse(text);
            onEvent(new LoggedEvent(
                readThrough, workspaceId, reader.GetString(2), "", MessageType.Track, name, at, at, KeyKind.Server, body.RootElement, EventIdentity.None));
        }
        return rows < limit ? throughSequence : readThrough;
    }

    /// <summary>Ids of a workspace's profiles in id order after <paramref name="afterId"/>, without reading their state.</summary>
    public async Task<IReadOnlyList<string>> ProfileIdsAsync(string workspaceId, string afterId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT id FROM profiles WHERE workspace_id = @p0 AND id > @p1 AND erased = 0 ORDER BY id LIMIT @p2", workspaceId, afterId, limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<string>();
        while (await reader.ReadAsync(ct))
            ids.Add(reader.GetString(0));
        return ids;
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

    /// <summary>Profiles of a workspace in id order after <paramref name="afterId"/> (keyset paging), merged ones included.</summary>
    public async Task<IReadOnlyList<Profile>> ProfilesAsync(string workspaceId, string afterId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT state FROM profiles WHERE workspace_id = @p0 AND id > @p1 AND erased = 0 ORDER BY id LIMIT @p2", workspaceId, afterId, limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var profiles = new List<Profile>();
        while (await reader.ReadAsync(ct))
            profiles.Add(reader.FromJson<Profile>(0, StorageJson.Options)!);
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
