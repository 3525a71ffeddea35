namespace Nudge.Storage.Segments;

/// <summary>
/// What a grain changed in its profile's segment state since the last save. Saved in the same transaction
/// as the profile itself, so a replay after a crash finds both at the same point of the log.
/// </summary>
/// <param name="ProfileId">The profile.</param>
/// <param name="Memberships">Membership rows to write.</param>
/// <param name="LiveTallies">
/// Every tally the grain keeps for the profile, in one document (the engine's text form), or null when unchanged.
/// One row per profile: a save writes one row however many conditions the events touched.
/// </param>
/// <param name="DroppedTallies">Rows of single tallies to delete: build parts the grain has folded in, and tallies of segment versions that no longer exist.</param>
/// <param name="WakeUp">The next moment time alone changes one of its segments (null for none); written only when <paramref name="WakeUpChanged"/>.</param>
/// <param name="WakeUpChanged">True when <paramref name="WakeUp"/> differs from the stored one.</param>
public sealed record SegmentStateChanges(
    string ProfileId,
    IReadOnlyList<SegmentMembership> Memberships,
    string? LiveTallies,
    IReadOnlyList<string> DroppedTallies,
    DateTimeOffset? WakeUp,
    bool WakeUpChanged)
{
    public bool IsEmpty => Memberships.Count == 0 && LiveTallies is null && DroppedTallies.Count == 0 && !WakeUpChanged;
}
