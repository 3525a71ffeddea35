namespace Nudge.Engine.Flows;

/// <summary>
/// The moments between two writes of a run's move, where a crash can cut it: tests make the engine fail at each of
/// them (<see cref="IFlowCrashes"/>) and check that the replay neither loses nor repeats a step.
/// </summary>
public enum FlowCrashPoint
{
    /// <summary>The move is planned; nothing is written yet.</summary>
    BeforeProfileEvents,

    /// <summary>The profile and list events are in the log; the run, its messages and wake-up are not.</summary>
    BeforeRunSave,

    /// <summary>The run, its messages and wake-up are saved; the fired wake-up (if any) is not yet removed.</summary>
    AfterRunSave,
}

/// <summary>Where tests inject crashes into the flow engine; the server's is a no-op.</summary>
public interface IFlowCrashes
{
    /// <summary>Called at each crash point; throws to simulate the process dying there.</summary>
    void At(FlowCrashPoint point, string runId);
}

/// <summary>No crashes: the production implementation.</summary>
public sealed class NoFlowCrashes : IFlowCrashes
{
    public void At(FlowCrashPoint point, string runId)
    {
    }
}
