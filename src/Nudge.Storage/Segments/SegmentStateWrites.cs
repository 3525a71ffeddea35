using System.Data.Common;
using Nudge.Storage.Events;

namespace Nudge.Storage.Segments;

/// <summary>Writes grains' segment changes inside the derived-state writer's transaction.</summary>
internal static class SegmentStateWrites
{
    /// <summary>The timer kind of a profile's next segment re-evaluation.</summary>
    public const string WakeUpKind = "segments";

    public static async Task WriteAsync(DbConnection connection, DbTransaction transaction, List<SegmentStateChanges> changes)
    {
        await using var membership = connection.Reusable(transaction,
            "INSERT INTO segment_members (segment_id, profile_id, member, changed_at, changes) VALUES (@p0, @p1, @p2, @p3, @p4) " +
            "ON CONFLICT (segment_id, profile_id) DO UPDATE SET member = excluded.member, changed_at = excluded.changed_at, changes = excluded.changes", 5);
        // The grain's tallies live in one row; the build's parts stay in rows of their own until the grain folds them in.
        await using var tallies = connection.Reusable(transaction,
            "INSERT INTO condition_tallies (profile_id, tally_key, built, live) VALUES (@p0, '" + ProfileSegmentState.LiveTalliesKey + "', NULL, @p1) " +
            "ON CONFLICT (profile_id, tally_key) DO UPDATE SET live = excluded.live", 2);
        await using var drop = connection.Reusable(transaction, "DELETE FROM condition_tallies WHERE profile_id = @p0 AND tally_key = @p1", 2);
        await using var setTimer = connection.Reusable(transaction,
            "INSERT INTO timers (profile_id, kind, timer_key, partition, due) VALUES (@p0, '" + WakeUpKind + "', '', @p1, @p2) " +
            "ON CONFLICT (profile_id, kind, timer_key) DO UPDATE SET due = excluded.due", 3);
        await using var clearTimer = connection.Reusable(transaction,
            "DELETE FROM timers WHERE profile_id = @p0 AND kind = '" + WakeUpKind + "' AND timer_key = ''", 1);

        foreach (var change in changes)
        {
            foreach (var m in change.Memberships)
                await membership.RunAsync(CancellationToken.None, m.SegmentId, m.ProfileId, m.IsMember ? 1L : 0L, m.ChangedAt.ToUnixTimeMilliseconds(), m.Changes);
            if (change.LiveTallies is { } live)
                await tallies.RunAsync(CancellationToken.None, change.ProfileId, live);
            foreach (var key in change.DroppedTallies)
                await drop.RunAsync(CancellationToken.None, change.ProfileId, key);
            if (change.WakeUpChanged)
            {
                if (change.WakeUp is { } due)
                    await setTimer.RunAsync(CancellationToken.None, change.ProfileId, (long)Partitioning.Of(change.ProfileId), due.ToUnixTimeMilliseconds());
                else
                    await clearTimer.RunAsync(CancellationToken.None, change.ProfileId);
            }
        }
    }
}
