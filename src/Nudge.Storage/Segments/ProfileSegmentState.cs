namespace Nudge.Storage.Segments;

/// <summary>What a profile's grain loads to keep its segments current.</summary>
/// <param name="Memberships">Its rows in segment_members.</param>
/// <param name="Tallies">Its tally rows: the grain's own (key <see cref="LiveTalliesKey"/>) and the parts background builds wrote.</param>
/// <param name="WakeUp">The stored moment of its next segment re-evaluation.</param>
public sealed record ProfileSegmentState(IReadOnlyList<SegmentMembership> Memberships, IReadOnlyList<TallyRow> Tallies, DateTimeOffset? WakeUp)
{
    /// <summary>The key of the row holding every tally the profile's grain keeps (its <c>live</c> column).</summary>
    public const string LiveTalliesKey = "";

    public static ProfileSegmentState Empty { get; } = new([], [], null);
}
