using Nudge.Storage.Events;

namespace Nudge.Storage.Segments;

/// <summary>
/// Writes what a background build found, a chunk of profiles per transaction. It writes only the built
/// column of tallies, so it never races with grains, which write the live column.
/// </summary>
public sealed class SegmentBuildWrites(Database database)
{
    public async Task WriteAsync(IReadOnlyList<BuiltProfile> profiles, string segmentId, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct, derivedData: true);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var enter = connection.Reusable(transaction,
            "INSERT INTO segment_members (segment_id, profile_id, member, changed_at, changes) VALUES (@p0, @p1, 1, @p2, 1) " +
            "ON CONFLICT (segment_id, profile_id) DO UPDATE SET member = 1, " +
            "changed_at = CASE WHEN segment_members.member = 1 THEN segment_members.changed_at ELSE excluded.changed_at END, " +
            "changes = CASE WHEN segment_members.member = 1 THEN segment_members.changes ELSE segment_members.changes + 1 END", 3);
        // Only an edited segment has rows of an earlier version to turn off.
        await using var leave = connection.Reusable(transaction,
            "UPDATE segment_members SET member = 0, changed_at = @p2, changes = changes + 1 WHERE segment_id = @p0 AND profile_id = @p1 AND member = 1", 3);
        await using var tally = connection.Reusable(transaction,
            "INSERT INTO condition_tallies (profile_id, tally_key, built, live) VALUES (@p0, @p1, @p2, NULL) " +
            "ON CONFLICT (profile_id, tally_key) DO UPDATE SET built = excluded.built", 3);
        // A build knows only its own segment's moment; the grain's stored one may be earlier and must stay.
        await using var wakeUp = connection.Reusable(transaction,
            "INSERT INTO timers (profile_id, kind, timer_key, partition, due) VALUES (@p0, '" + SegmentStateWrites.WakeUpKind + "', '', @p1, @p2) " +
            "ON CONFLICT (profile_id, kind, timer_key) DO UPDATE SET due = CASE WHEN excluded.due < timers.due THEN excluded.due ELSE timers.due END", 3);

        foreach (var profile in profiles)
        {
            var at = profile.At.ToUnixTimeMilliseconds();
            await (profile.IsMember ? enter : leave).RunAsync(ct, segmentId, profile.ProfileId, at);
            foreach (var (key, built) in profile.Tallies)
                await tally.RunAsync(ct, profile.ProfileId, key, built);
            if (profile.WakeUp is { } due)
                await wakeUp.RunAsync(ct, profile.ProfileId, (long)Partitioning.Of(profile.ProfileId), due.ToUnixTimeMilliseconds());
        }

        await transaction.CommitAsync(ct);
    }
}
