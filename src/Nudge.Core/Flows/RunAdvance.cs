using System.Collections.Immutable;

namespace Nudge.Core.Flows;

/// <summary>What moving a run produced: its new state, the effects to carry out, and the history lines to keep.</summary>
/// <param name="Run">The run after the move.</param>
/// <param name="Effects">Side effects, each keyed by (run, step).</param>
/// <param name="History">The steps entered and left on the way.</param>
public sealed record RunAdvance(FlowRun Run, ImmutableArray<RunEffect> Effects, ImmutableArray<StepRecord> History)
{
    /// <summary>Nothing moved (the stimulus did not concern the run).</summary>
    public static RunAdvance Unchanged(FlowRun run) => new(run, [], []);

    /// <summary>True when the run changed.</summary>
    public bool Moved => !History.IsEmpty;
}
