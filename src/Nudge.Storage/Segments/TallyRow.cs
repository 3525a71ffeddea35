namespace Nudge.Storage.Segments;

/// <summary>A stored tally row of one profile, in the engine's own text form.</summary>
/// <param name="Key">Segment id, version and the condition's path; <see cref="ProfileSegmentState.LiveTalliesKey"/> for the grain's own row.</param>
/// <param name="Built">The part a background build counted (events up to the segment's build_through).</param>
/// <param name="Live">In the grain's own row: all of the grain's tallies.</param>
public sealed record TallyRow(string Key, string? Built, string? Live);
