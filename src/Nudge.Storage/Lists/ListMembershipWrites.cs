using System.Data.Common;

namespace Nudge.Storage.Lists;

/// <summary>Writes grains' list membership changes inside the derived-state writer's transaction.</summary>
internal static class ListMembershipWrites
{
    public static async Task WriteAsync(DbConnection connection, DbTransaction transaction, List<ListMembershipChanges> changes)
    {
        // A join of a past member counts as a change; moving the join time of a current member (a merge) does not.
        // An erased profile's grain may still be saving when the erasure forgets its memberships: it adds none back.
        await using var join = connection.Reusable(transaction,
            "INSERT INTO list_members (list_id, profile_id, member, joined_at, left_at, changes) SELECT @p0, @p1, 1, @p2, NULL, 1 " +
            "WHERE NOT EXISTS (SELECT 1 FROM profiles WHERE id = @p1 AND erased = 1) " +
            "ON CONFLICT (list_id, profile_id) DO UPDATE SET joined_at = excluded.joined_at, left_at = NULL, " +
            "changes = CASE WHEN list_members.member = 1 THEN list_members.changes ELSE list_members.changes + 1 END, member = 1", 3);
        await using var leave = connection.Reusable(transaction,
            "UPDATE list_members SET member = 0, left_at = @p2, changes = changes + 1 WHERE list_id = @p0 AND profile_id = @p1 AND member = 1", 3);

        foreach (var change in changes)
        {
            foreach (var (listId, joinedAt) in change.Joined)
                await join.RunAsync(CancellationToken.None, listId, change.ProfileId, joinedAt.ToUnixTimeMilliseconds());
            foreach (var listId in change.Left)
                await leave.RunAsync(CancellationToken.None, listId, change.ProfileId, change.At.ToUnixTimeMilliseconds());
        }
    }
}
