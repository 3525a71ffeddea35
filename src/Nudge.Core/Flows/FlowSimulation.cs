using Nudge.Core.Segments;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;
using Nudge.Core.Profiles;

namespace Nudge.Core.Flows;

/// <summary>
/// Runs one flow for one (real or described) profile in virtual time, against a timed script of events, and says
/// what would be sent when and why each branch was taken. Nothing is written or sent: it is the run state machine
/// itself (<see cref="FlowRunner"/>) driven by a clock that jumps from moment to moment.
/// </summary>
public static class FlowSimulation
{
    /// <summary>Simulates <paramref name="flow"/> following <paramref name="script"/>.</summary>
    public static SimulationResult Run(FlowDefinition flow, string flowId, SimulationScript script)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(script);

        var profile = script.Profile;
        var seen = new List<LoggedEvent>();
        var sequence = 0L;
        var now = script.Start;
        var end = script.Start + script.Horizon;
        LoggedEvent Logged(SimulatedEvent e, DateTimeOffset at) => Event(++sequence, profile, e, at);
        ISegmentFacts Facts() => new FlowFacts(profile, script.Segments.Contains, seen).CountFor(flow, now);

        JsonElement triggerBody;
        string description;
        if (flow.Trigger is EventTrigger trigger)
        {
            if (script.Trigger is not { } given)
                return SimulationResult.NotEntered("this flow starts on an event: give the trigger event");
            var e = Logged(given, now);
            if (!trigger.Matches(e))
                return SimulationResult.NotEntered($"the trigger event {given.Name} does not match the flow's trigger ({trigger.Match.Event} and its filters)");
            seen.Add(e);
            profile = ProfileProjection.Apply(profile, e);
            (triggerBody, description) = (e.Body, given.Name);
        }
        else
        {
            (triggerBody, description) = (script.ManualData, "started by hand");
        }

        var start = new FlowRunStart(FlowRunner.RunId(flowId, profile.Id, "simulation"), profile.WorkspaceId, flowId, 0, triggerBody, description);
        if (FlowRunner.Start(flow, start, Facts(), now) is not { } advance)
            return SimulationResult.NotEntered("the profile does not pass the flow filter");

        var result = new Collector(flow);
        profile = result.Take(advance, profile, now);
        var run = advance.Run;
        var timeline = script.Events.OrderBy(e => e.After).ToList();
        var next = 0;
        while (run.IsActive)
        {
            var eventAt = next < timeline.Count ? script.Start + timeline[next].After : (DateTimeOffset?)null;
            var timerAt = run.Wait?.Due;
            if (eventAt is { } at && at <= end && (timerAt is null || at < timerAt))
            {
                now = at;
                var e = Logged(timeline[next++], now);
                seen.Add(e);
                profile = ProfileProjection.Apply(profile, e);
                advance = FlowRunner.OnEvent(flow, run, e, Facts(), now);
            }
            else if (timerAt is { } due && due <= end)
            {
                now = due;
                advance = FlowRunner.OnTimer(flow, run, due, Facts(), now);
            }
            else
            {
                break;
            }
            profile = result.Take(advance, profile, now);
            run = advance.Run;
        }
        return result.Finish(run);
    }

    private static LoggedEvent Event(long sequence, Profile profile, SimulatedEvent e, DateTimeOffset at)
    {
        var body = new JsonObject
        {
            ["type"] = "track",
            ["event"] = e.Name,
            ["timestamp"] = at.ToString("O", CultureInfo.InvariantCulture),
            ["properties"] = JsonNode.Parse(e.Properties.ValueKind == JsonValueKind.Object ? e.Properties.GetRawText() : "{}"),
        };
        return new LoggedEvent(sequence, profile.WorkspaceId, profile.Id, "sim-" + sequence.ToString(CultureInfo.InvariantCulture), MessageType.Track, e.Name,
            at, at, KeyKind.Server, JsonSerializer.SerializeToElement(body), EventIdentity.None);
    }

    /// <summary>Keeps what the run did, and applies its profile and list changes so later steps see them.</summary>
    private sealed class Collector(FlowDefinition flow)
    {
        private readonly List<SimulatedAction> _actions = [];
        private readonly List<StepRecord> _path = [];

        public Profile Take(RunAdvance advance, Profile profile, DateTimeOffset at)
        {
            _path.AddRange(advance.History);
            foreach (var effect in advance.Effects)
            {
                var kind = FlowRunner.KindOf(flow.Steps[effect.StepId]);
                switch (effect)
                {
                    case SendMessage send:
                        _actions.Add(new SimulatedAction(at, send.StepId, kind, send.Channel, send.TemplateId, send.Transactional ? "transactional" : "marketing"));
                        break;
                    case ChangeProfile change:
                        var (trait, value) = ProfileChanges.Apply(profile, change.Change);
                        profile = profile with { Traits = profile.Traits.SetItem(trait, JsonSerializer.SerializeToElement(value)) };
                        _actions.Add(new SimulatedAction(at, change.StepId, kind, null, null, $"{trait} = {value?.ToJsonString() ?? "null"}"));
                        break;
                    case ChangeList list:
                        profile = profile with { Lists = list.Join ? profile.Lists.SetItem(list.ListId, at) : profile.Lists.Remove(list.ListId) };
                        _actions.Add(new SimulatedAction(at, list.StepId, kind, null, null, list.ListId));
                        break;
                    case CallWebhook webhook:
                        _actions.Add(new SimulatedAction(at, webhook.StepId, kind, null, null, webhook.Url.ToString()));
                        break;
                    case AssignCoupon coupon:
                        _actions.Add(new SimulatedAction(at, coupon.StepId, kind, null, null, coupon.PoolId));
                        break;
                    case StartFlow move:
                        _actions.Add(new SimulatedAction(at, move.StepId, kind, null, null, move.FlowId));
                        break;
                }
            }
            return profile;
        }

        public SimulationResult Finish(FlowRun run) => new(true, null, [.. _actions], [.. _path],
            run.Status.ToString().ToLowerInvariant(), run.EndReason, run.Step, run.Wait?.Due);
    }
}

/// <summary>What to simulate: the person, what starts the run, what they do afterwards, and for how long.</summary>
/// <param name="Profile">The person as the flow sees them (a real profile or a described one).</param>
/// <param name="Segments">The segments they are in.</param>
/// <param name="Trigger">The event that starts the run (for event, segment and list triggers).</param>
/// <param name="ManualData">The data of a manual start.</param>
/// <param name="Events">What they do later, each some time after the start.</param>
/// <param name="Start">The simulated start.</param>
/// <param name="Horizon">How far to look ahead.</param>
public sealed record SimulationScript(
    Profile Profile, IReadOnlySet<string> Segments, SimulatedEvent? Trigger, JsonElement ManualData, IReadOnlyList<SimulatedEvent> Events,
    DateTimeOffset Start, TimeSpan Horizon);

/// <summary>An event of the script.</summary>
/// <param name="After">How long after the start it happens.</param>
/// <param name="Name">The track event's name.</param>
/// <param name="Properties">Its properties.</param>
public sealed record SimulatedEvent(TimeSpan After, string Name, JsonElement Properties);

/// <summary>What the run would do.</summary>
/// <param name="Entered">False when the profile would not enter the flow.</param>
/// <param name="NotEnteredReason">Why not.</param>
/// <param name="Actions">Every message and change, with its time.</param>
/// <param name="Path">Every step entered, with what came of it (branches and why).</param>
/// <param name="Status">active (still waiting at the horizon), completed, exited.</param>
/// <param name="EndReason">Why the run ended.</param>
/// <param name="Step">Where it ended or waits.</param>
/// <param name="WaitingUntil">When its wait would end, if it still waits.</param>
public sealed record SimulationResult(
    bool Entered, string? NotEnteredReason, IReadOnlyList<SimulatedAction> Actions, IReadOnlyList<StepRecord> Path, string Status, string? EndReason,
    string? Step, DateTimeOffset? WaitingUntil)
{
    public static SimulationResult NotEntered(string reason) => new(false, reason, [], [], "not entered", null, null, null);
}

/// <summary>One thing the run would do at a moment.</summary>
/// <param name="At">When.</param>
/// <param name="StepId">Which step.</param>
/// <param name="Kind">send, updateProfile, addToList, removeFromList, webhook, moveToFlow.</param>
/// <param name="Channel">For a send: the channel.</param>
/// <param name="TemplateId">For a send: the template.</param>
/// <param name="Detail">What else there is to say (marketing or transactional, the change, the URL).</param>
public sealed record SimulatedAction(DateTimeOffset At, string StepId, string Kind, string? Channel, string? TemplateId, string? Detail);
