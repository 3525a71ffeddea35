using Nudge.Core.Ingestion;

namespace Nudge.Core.Segments;

/// <summary>The outcome of reading a bare condition (a flow filter or split): either the condition or every reason it was refused.</summary>
/// <param name="Condition">The condition, or null when there are errors.</param>
/// <param name="Errors">Every problem found, each named by its JSON path below the path the caller gave.</param>
public sealed record ConditionReadResult(Condition? Condition, IReadOnlyList<FieldError> Errors)
{
    /// <summary>True when a condition was read without errors.</summary>
    public bool IsValid => Condition is not null;
}
