using System.Text.Json;
using Nudge.Core.Flows;
using Nudge.Storage.Flows;

namespace Nudge.Server.Flows;

/// <summary>A flow as the API shows it.</summary>
/// <param name="Id">Flow id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Status">draft, live, paused or archived.</param>
/// <param name="Version">The latest version.</param>
/// <param name="LiveVersion">The version new runs start on (null until first activated).</param>
/// <param name="Definition">The latest version's definition.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="UpdatedAt">Last change.</param>
/// <param name="Steps">Per step: runs that entered it, wait in it now, and ended in it (only on a single flow).</param>
public sealed record FlowView(
    string Id, string Name, string Status, int Version, int? LiveVersion, JsonElement Definition, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    IReadOnlyList<StepCount>? Steps)
{
    public static FlowView Of(FlowRecord r, IReadOnlyList<StepCount>? steps = null) => new(
        r.Id, r.Name, r.Status, r.Version, r.LiveVersion, JsonSerializer.Deserialize<JsonElement>(r.Definition), r.CreatedAt, r.UpdatedAt, steps);
}

/// <summary>A flow run as the API shows it.</summary>
/// <param name="Id">Run id.</param>
/// <param name="FlowId">The flow.</param>
/// <param name="Version">The flow version the run follows.</param>
/// <param name="ProfileId">The person.</param>
/// <param name="Status">active, completed, exited or cancelled.</param>
/// <param name="Step">The step it waits in, or where it ended.</param>
/// <param name="StartedAt">Start.</param>
/// <param name="UpdatedAt">Last move.</param>
/// <param name="EndedAt">End.</param>
/// <param name="EndReason">Why it ended.</param>
/// <param name="WaitingUntil">When its wait ends by time.</param>
/// <param name="WaitingForEvent">True while it waits for an event.</param>
/// <param name="Trigger">The event (or manual start data) that started it.</param>
/// <param name="History">Its path, step by step (only on a single run).</param>
public sealed record RunView(
    string Id, string FlowId, int Version, string ProfileId, string Status, string Step, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? EndedAt, string? EndReason, DateTimeOffset? WaitingUntil, bool WaitingForEvent, JsonElement Trigger, IReadOnlyList<StepRecord>? History)
{
    public static RunView Of(FlowRun r, IReadOnlyList<StepRecord>? history = null) => new(
        r.Id, r.FlowId, r.Version, r.ProfileId, r.Status.ToString().ToLowerInvariant(), r.Step, r.StartedAt, r.UpdatedAt, r.EndedAt, r.EndReason,
        r.Wait?.Due, r.Wait?.ForEvent == true, r.Trigger, history);
}

/// <summary>A manual start: who, and the data later steps and templates see as the trigger.</summary>
/// <param name="ProfileId">The person.</param>
/// <param name="Data">Any JSON object; templates see it as the trigger event.</param>
/// <param name="Key">Makes a retried request start one run (defaults to a new key per request).</param>
public sealed record StartRunRequest(string? ProfileId, JsonElement? Data, string? Key);
