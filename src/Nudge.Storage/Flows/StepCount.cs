namespace Nudge.Storage.Flows;

/// <summary>Per step of a flow: how many runs entered it, wait in it now, and ended in it (completed or exited).</summary>
public sealed record StepCount(string StepId, long Entered, long Waiting, long Completed, long Exited);
