namespace Nudge.Core.Flows;

/// <summary>One line of a run's history: a step entered or left, at a time, with what came of it.</summary>
/// <param name="StepId">The step, or the flow-level moment (<c>trigger</c>, <c>exit</c>).</param>
/// <param name="Kind">The step's kind (wait, send, split, ...).</param>
/// <param name="At">When.</param>
/// <param name="Outcome">What happened in the user's words: "queued email tpl_1", "branch yes", "waiting until ...", "exited: Order Completed".</param>
public sealed record StepRecord(string StepId, string Kind, DateTimeOffset At, string Outcome);
