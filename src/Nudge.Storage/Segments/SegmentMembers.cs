using System.Data.Common;

namespace Nudge.Storage.Segments;

/// <summary>Reads segment membership: pages of members, counts, the segments of one profile.</summary>
public sealed class SegmentMembers(Database database)
{
    /// <summary>Members in profile id order, after <paramref name="afterProfileId"/> (keyset paging).</summary>
    public async Task<IReadOnlyList<SegmentMembership>> PageAsync(string segmentId, string? afterProfileId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ReadAsync(connection,
            "SELECT segment_id, profile_id, member, changed_at, changes FROM segment_members " +
            "WHERE segment_id = @p0 AND profile_id > @p1 AND member = 1 ORDER BY profile_id LIMIT @p2",
            ct, segmentId, afterProfileId ?? "", limit);
    }

    public async Task<long> CountAsync(string segmentId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ScalarAsync<long>("SELECT COUNT(*) FROM segment_members WHERE segment_id = @p0 AND member = 1", ct, segmentId);
    }

    /// <summary>Every segment row of a profile, members and past members.</summary>
    public async Task<IReadOnlyList<SegmentMembership>> OfProfileAsync(string profileId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ReadAsync(connection,
            "SELECT segment_id, profile_id, member, changed_at, changes FROM segment_members WHERE profile_id = @p0 ORDER BY segment_id",
            ct, profileId);
    }

    internal static async Task<IReadOnlyList<SegmentMembership>> ReadAsync(DbConnection connection, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<SegmentMembership>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new SegmentMembership(
                reader.GetString(0), reader.GetString(1), reader.GetInt64(2) == 1,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.GetInt64(4)));
        }
        return rows;
    }
}
