using Nudge.Core.Ingestion;

namespace Nudge.Core.Segments;

/// <summary>The outcome of reading a segment definition: either the definition or every reason it was refused.</summary>
/// <param name="Definition">The definition, or null when there are errors.</param>
/// <param name="Errors">Every problem found, each named by its JSON path (e.g. <c>condition.and[2].window.last</c>).</param>
public sealed record SegmentReadResult(SegmentDefinition? Definition, IReadOnlyList<FieldError> Errors)
{
    /// <summary>True when a definition was read without errors.</summary>
    public bool IsValid => Definition is not null;
}
