namespace Nudge.Storage.Segments;

/// <summary>
/// What a grain changed in its profile's segment state since the last save. Saved in the same transaction
/// as the profile itself, so a replay after a crash finds both at the same point of the log.
/// </summary>
/// <param name="ProfileId">The profile.</param>
/// <param name="Memberships">Membership rows to write.</param>
/// <param name="LiveTallies">Tallies to write, by key (the live part; the built part is folded in and cleared once the segment is ready).</param>
/// <param name="DroppedTallies">Tallies of segment versions that no longer exist.</param>
/// <param name="WakeUp">The next moment time alone changes one of its segments (null for none); written only when <paramref name="WakeUpChanged"/>.</param>
/// <param name="WakeUpChanged">True when <paramref name="WakeUp"/> differs from the stored one.</param>
public sealed record SegmentStateChanges(
    string ProfileId,
    IReadOnlyList<SegmentMembership> Memberships,
    IReadOnlyList<(string Key, string Live, bool ClearBuilt)> LiveTallies,
    IReadOnlyList<string> DroppedTallies,
    DateTimeOffset? WakeUp,
    bool WakeUpChanged)
{
    public bool IsEmpty => Memberships.Count == 0 && LiveTallies.Count == 0 && DroppedTallies.Count == 0 && !WakeUpChanged;
}
