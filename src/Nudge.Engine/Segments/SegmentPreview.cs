namespace Nudge.Engine.Segments;

/// <summary>The result of a dry run of a segment definition.</summary>
/// <param name="Count">Profiles that would be members now.</param>
/// <param name="Evaluated">Profiles looked at.</param>
/// <param name="Sample">Ids of the first members found.</param>
public sealed record SegmentPreview(long Count, long Evaluated, IReadOnlyList<string> Sample);
