using System.Text.Json;

namespace Nudge.Core.Flows;

/// <summary>
/// One profile's way through one version of a flow: where it stands, what it waits for, and the event that
/// started it (its properties, such as the cart, are available to every later step and template).
/// </summary>
/// <param name="Id">Run id (<c>run_...</c>), derived from the flow and the trigger so a replayed trigger finds the same run.</param>
/// <param name="WorkspaceId">The shop.</param>
/// <param name="FlowId">The flow.</param>
/// <param name="Version">The flow version the run follows.</param>
/// <param name="ProfileId">The person.</param>
/// <param name="Status">Active (running or waiting) or how it ended.</param>
/// <param name="Step">The step the run is at (waiting in it), or where it ended.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="UpdatedAt">When it last moved.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="EndReason">Why it ended: completed, exit event, filter, too late, cancelled, moved.</param>
/// <param name="Trigger">The trigger event's body (or the manual start's data).</param>
/// <param name="Wait">What the run waits for; null when it is not waiting.</param>
/// <param name="StepsTaken">How many steps it entered, for the loop guard and reports.</param>
public sealed record FlowRun(
    string Id,
    string WorkspaceId,
    string FlowId,
    int Version,
    string ProfileId,
    RunStatus Status,
    string Step,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? EndedAt,
    string? EndReason,
    JsonElement Trigger,
    RunWait? Wait,
    int StepsTaken)
{
    /// <summary>True until the run completes, exits or is cancelled.</summary>
    public bool IsActive => Status == RunStatus.Active;
}

/// <summary>Whether a run is still going, and how it ended.</summary>
public enum RunStatus
{
    /// <summary>Running or waiting.</summary>
    Active,

    /// <summary>Walked to the end of its path.</summary>
    Completed,

    /// <summary>Left early: an exit event, the flow filter, a late wake-up, a move to another flow.</summary>
    Exited,

    /// <summary>Stopped through the API.</summary>
    Cancelled,
}

/// <summary>What a waiting run waits for: a moment, an event, or an event until a moment.</summary>
/// <param name="Due">When the wait ends by time (the timer's moment); null for none.</param>
/// <param name="ForEvent">True while a wait-for-event step listens for its event.</param>
public sealed record RunWait(DateTimeOffset? Due, bool ForEvent);
