using Nudge.Core.Ingestion;

namespace Nudge.Core.Flows;

/// <summary>A flow definition, or every error that kept it from being one.</summary>
public sealed record FlowReadResult(FlowDefinition? Definition, IReadOnlyList<FieldError> Errors)
{
    /// <summary>True when the definition was read without errors.</summary>
    public bool IsValid => Definition is not null;
}
