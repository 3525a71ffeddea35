using System.Data.Common;
using System.Text.Json;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;

namespace Nudge.Storage.Events;

/// <summary>Reads the event log: by partition for the engine, by profile for timelines and exports.</summary>
public sealed class EventReader(Database database)
{
    private const string Columns = "seq, workspace_id, profile_id, message_id, type, name, timestamp, received_at, key_kind, body, identity";

    /// <summary>The next events of a partition after <paramref name="afterSequence"/>, in log order.</summary>
    public async Task<IReadOnlyList<LoggedEvent>> ReadPartitionAsync(int partition, long afterSequence, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ReadAsync(connection,
            $"SELECT {Columns} FROM events WHERE partition = @p0 AND seq > @p1 ORDER BY seq LIMIT @p2",
            ct, partition, afterSequence, limit);
    }

    /// <summary>A person's timeline, newest first: their events and those of every profile merged into them.</summary>
    /// <remarks>
    /// SQLite has no index on profile_id (it would dirty a random page per append, ADR 0003): each profile's
    /// events are read along its partition's index, newest first, which is quick for active profiles.
    /// </remarks>
    /// <param name="workspaceId">The workspace the profile belongs to.</param>
    /// <param name="profileId">The profile.</param>
    /// <param name="beforeSequence">Page cursor: only events older than this; null for the newest page.</param>
    /// <param name="limit">Page size.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task<IReadOnlyList<LoggedEvent>> ReadTimelineAsync(string workspaceId, string profileId, long? beforeSequence, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var events = new List<LoggedEvent>();
        foreach (var id in await ProfileFamily.IdsAsync(connection, null, profileId, ct))
        {
            events.AddRange(await ReadAsync(connection,
                $"SELECT {Columns} FROM events WHERE partition = @p0 AND seq < @p1 AND profile_id = @p2 AND workspace_id = @p3 ORDER BY seq DESC LIMIT @p4",
                ct, Partitioning.Of(id), beforeSequence ?? long.MaxValue, id, workspaceId, limit));
        }
        return events.OrderByDescending(e => e.Sequence).Take(limit).ToList();
    }

    /// <summary>
    /// The events of a profile and of every profile merged into it with a sequence in
    /// (<paramref name="afterSequence"/>, <paramref name="throughSequence"/>], in log order.
    /// </summary>
    public async Task<IReadOnlyList<LoggedEvent>> ReadFamilyAsync(string profileId, long afterSequence, long throughSequence, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var events = new List<LoggedEvent>();
        foreach (var id in await ProfileFamily.IdsAsync(connection, null, profileId, ct))
        {
            events.AddRange(await ReadAsync(connection,
                $"SELECT {Columns} FROM events WHERE partition = @p0 AND seq > @p1 AND seq <= @p2 AND profile_id = @p3 ORDER BY seq",
                ct, Partitioning.Of(id), afterSequence, throughSequence, id));
        }
        return events.OrderBy(e => e.Sequence).ToList();
    }

    /// <summary>How many events the log holds for a workspace.</summary>
    public async Task<long> CountAsync(string workspaceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ScalarAsync<long>("SELECT COUNT(*) FROM events WHERE workspace_id = @p0", ct, workspaceId);
    }

    private static async Task<IReadOnlyList<LoggedEvent>> ReadAsync(DbConnection connection, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var events = new List<LoggedEvent>();
        while (await reader.ReadAsync(ct))
        {
            var identity = reader.NullableString(10) is { } json
                ? JsonSerializer.Deserialize<EventIdentity>(json, StorageJson.Options) ?? EventIdentity.None
                : EventIdentity.None;
            events.Add(new LoggedEvent(
                Sequence: reader.GetInt64(0),
                WorkspaceId: reader.GetString(1),
                ProfileId: reader.GetString(2),
                MessageId: reader.GetString(3),
                Type: (MessageType)reader.GetInt64(4),
                Name: reader.NullableString(5),
                Timestamp: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                ReceivedAt: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                KeyKind: (KeyKind)reader.GetInt64(8),
                Body: reader.Json(9),
                Identity: identity));
        }
        return events;
    }
}
