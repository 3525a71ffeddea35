namespace Nudge.Engine.Profiles;

/// <summary>The answer to a manual flow start: the run, or why none started.</summary>
[GenerateSerializer, Immutable]
public sealed record FlowStartResult(
    [property: Id(0)] string? RunId,
    [property: Id(1)] string? Refusal);
