namespace Nudge.Storage.Segments;

/// <summary>A stored tally of one profile and event condition, in the engine's own text form.</summary>
/// <param name="Key">Segment id, version and the condition's path.</param>
/// <param name="Built">The part the background build counted (events up to the segment's build_through).</param>
/// <param name="Live">The part the profile's grain counted.</param>
public sealed record TallyRow(string Key, string? Built, string? Live);
