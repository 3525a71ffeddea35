namespace Nudge.Storage.Segments;

/// <summary>What a profile's grain loads to keep its segments current.</summary>
/// <param name="Memberships">Its rows in segment_members.</param>
/// <param name="Tallies">Its condition tallies.</param>
/// <param name="WakeUp">The stored moment of its next segment re-evaluation.</param>
public sealed record ProfileSegmentState(IReadOnlyList<SegmentMembership> Memberships, IReadOnlyList<TallyRow> Tallies, DateTimeOffset? WakeUp)
{
    public static ProfileSegmentState Empty { get; } = new([], [], null);
}
