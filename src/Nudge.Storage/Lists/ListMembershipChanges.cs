using System.Collections.Immutable;

namespace Nudge.Storage.Lists;

/// <summary>
/// The lists a profile joined and left since its grain last saved it. Saved in the same transaction as the profile
/// (like <see cref="Segments.SegmentStateChanges"/>), so <c>list_members</c> and the saved profile never disagree.
/// </summary>
/// <param name="ProfileId">The profile.</param>
/// <param name="Joined">Lists joined, with the join time (also lists whose join time moved, after a merge).</param>
/// <param name="Left">Lists left.</param>
/// <param name="At">When the grain saw the change (the time recorded for leaves).</param>
public sealed record ListMembershipChanges(
    string ProfileId,
    IReadOnlyList<(string ListId, DateTimeOffset JoinedAt)> Joined,
    IReadOnlyList<string> Left,
    DateTimeOffset At)
{
    public bool IsEmpty => Joined.Count == 0 && Left.Count == 0;

    /// <summary>The difference between the lists a profile was saved with and the ones it has now; null when there is none.</summary>
    public static ListMembershipChanges? Between(
        string profileId,
        ImmutableSortedDictionary<string, DateTimeOffset> saved,
        ImmutableSortedDictionary<string, DateTimeOffset> current,
        DateTimeOffset at)
    {
        if (ReferenceEquals(saved, current))
            return null;
        var joined = current.Where(l => !saved.TryGetValue(l.Key, out var since) || since != l.Value).Select(l => (l.Key, l.Value)).ToList();
        var left = saved.Keys.Where(id => !current.ContainsKey(id)).ToList();
        var changes = new ListMembershipChanges(profileId, joined, left, at);
        return changes.IsEmpty ? null : changes;
    }
}
