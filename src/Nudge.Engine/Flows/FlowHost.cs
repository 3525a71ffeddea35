using System.Text.Json;
using Nudge.Core.Flows;
using Nudge.Core.Ingestion;
using Nudge.Core.Profiles;
using Nudge.Core.Segments;
using Nudge.Storage.Events;
using Nudge.Storage.Flows;

namespace Nudge.Engine.Flows;

/// <summary>
/// What a profile grain needs to run flows: loads its runs, gives flow conditions their facts, plans with
/// <see cref="ProfileFlows"/> and writes with <see cref="FlowRecorder"/>. Stateless; the grain keeps the
/// <see cref="ProfileFlows"/>.
/// </summary>
public sealed class FlowHost(FlowCatalog catalog, FlowRunStore runs, FlowRecorder recorder, EventReader reader, TimeProvider time)
{
    /// <summary>How many flows one start may hand a profile on to (move to flow) before the chain is cut.</summary>
    private const int MaxMoves = 10;

    public FlowCatalog Catalog => catalog;

    /// <summary>The profile's runs from the store (with its date-flow wake-ups when the workspace has live date flows).</summary>
    public async Task<ProfileFlows> LoadAsync(string profileId, string workspaceId) =>
        new(await runs.LoadForProfileAsync(profileId, CancellationToken.None,
            withDateWakeUps: catalog.LiveFlows(workspaceId).Any(f => f.Definition.Trigger is DateTrigger)));

    /// <summary>Plans and writes what newly applied events do to the profile's runs and which runs they start.</summary>
    public async Task OnEventsAsync(ProfileFlows flows, Profile profile, IReadOnlyList<LoggedEvent> events, Func<string, bool> isInSegment)
    {
        var now = time.GetUtcNow();
        var facts = await FactsAsync(flows, profile, isInSegment, AskedBy(flows, profile.WorkspaceId, events));
        var moves = new List<RunAdvance>();
        foreach (var e in events)
            moves.AddRange(flows.OnEvent(e, profile.WorkspaceId, catalog, facts, now));
        await RecordAsync(flows, profile, moves, facts, now);
        await runs.SaveDateWakeUpsAsync(profile.Id, flows.PlanDateWakeUps(profile, catalog, now), CancellationToken.None);
    }

    /// <summary>
    /// A date-triggered flow's moment has come for the profile: starts its run (keyed by the moment, so a repeated
    /// wake-up starts one) and sets the next moment (next year's, for a yearly trigger).
    /// </summary>
    public async Task OnDateAsync(ProfileFlows flows, Profile profile, string flowId, DateTimeOffset due, Func<string, bool> isInSegment)
    {
        if (catalog.Live(profile.WorkspaceId, flowId) is not { Definition.Trigger: DateTrigger trigger } live)
            return;
        var now = time.GetUtcNow();
        var facts = await FactsAsync(flows, profile, isInSegment);
        var key = "date:" + due.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var data = JsonSerializer.SerializeToElement(new { date_property = trigger.Property, occurrence = due });
        if (flows.Start(live, key, data, trigger.Property + " date", facts(live.Definition), now) is { } move)
            await RecordAsync(flows, profile, [move], facts, now);
        var next = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal) { [flowId] = trigger.Next(profile, due > now ? due : now) };
        await runs.SaveDateWakeUpsAsync(profile.Id, next, CancellationToken.None);
        flows.Remember(next);
    }

    /// <summary>A run's wake-up.</summary>
    public async Task OnTimerAsync(ProfileFlows flows, Profile profile, string runId, DateTimeOffset due, Func<string, bool> isInSegment)
    {
        var now = time.GetUtcNow();
        var facts = await FactsAsync(flows, profile, isInSegment);
        if (flows.OnTimer(runId, due, catalog, facts, now) is { } move)
            await RecordAsync(flows, profile, [move], facts, now);
    }

    /// <summary>Starts a live flow for the profile by hand; the run id, or null with the reason it did not start.</summary>
    public async Task<(string? RunId, string? Refusal)> StartAsync(
        ProfileFlows flows, Profile profile, string flowId, string startKey, JsonElement data, Func<string, bool> isInSegment)
    {
        if (catalog.Live(profile.WorkspaceId, flowId) is not { } live)
            return (null, "the flow is not live");
        var now = time.GetUtcNow();
        var facts = await FactsAsync(flows, profile, isInSegment);
        var runId = FlowRunner.RunId(flowId, profile.Id, startKey);
        if (flows.Start(live, startKey, data, "started through the API", facts(live.Definition), now) is not { } move)
        {
            return flows.Active.Any(r => r.Id == runId)
                ? (runId, null)
                : (null, "the profile is already in the flow, its re-entry rule does not allow another run, or it does not pass the flow filter");
        }
        await RecordAsync(flows, profile, [move], facts, now);
        return (move.Run.Id, null);
    }

    /// <summary>Cancels a run; false when the profile has no such active run.</summary>
    public async Task<bool> CancelAsync(ProfileFlows flows, Profile profile, string runId, string reason)
    {
        if (flows.Cancel(runId, reason, time.GetUtcNow()) is not { } move)
            return false;
        await recorder.RecordAsync(profile, [move], CancellationToken.None);
        return true;
    }

    /// <summary>True when the workspace has flows whose runs or triggers could concern its profiles.</summary>
    public bool HasFlows(string workspaceId) => catalog.HasFlows(workspaceId);

    private async Task RecordAsync(ProfileFlows flows, Profile profile, List<RunAdvance> moves, Func<FlowDefinition, ISegmentFacts> facts, DateTimeOffset now)
    {
        for (var round = 0; moves.Count > 0; round++)
        {
            await recorder.RecordAsync(profile, moves, CancellationToken.None);
            if (round == MaxMoves)
                return;
            // "Move to another flow" starts the other flow now, keyed by the step that asked, so a replay starts nothing twice.
            var next = new List<RunAdvance>();
            foreach (var move in moves)
            {
                foreach (var start in move.Effects.OfType<StartFlow>())
                {
                    if (catalog.Live(profile.WorkspaceId, start.FlowId) is { } live
                        && flows.Start(live, $"{move.Run.Id}:{start.StepId}", move.Run.Trigger, "moved from " + move.Run.FlowId, facts(live.Definition), now) is { } started)
                    {
                        next.Add(started);
                    }
                }
            }
            moves = next;
        }
    }

    /// <summary>
    /// The flows whose conditions events can make the engine answer: those of the active runs and those the events
    /// trigger (all live flows when one of them can move people to another flow).
    /// </summary>
    private List<FlowDefinition> AskedBy(ProfileFlows flows, string workspaceId, IReadOnlyList<LoggedEvent> events)
    {
        var asked = flows.Active.Select(r => catalog.Version(r.FlowId, r.Version)).OfType<FlowDefinition>().ToList();
        var live = catalog.LiveFlows(workspaceId);
        asked.AddRange(live.Select(f => f.Definition).Where(d => d.Trigger is EventTrigger trigger && events.Any(trigger.Matches)));
        if (asked.Any(d => d.Steps.Values.OfType<MoveToFlowStep>().Any()))
            asked.AddRange(live.Select(f => f.Definition));
        return asked;
    }

    /// <summary>
    /// Facts for flow conditions. The person's event history is read (once) only when one of the flows that may be
    /// asked has event conditions: by default every live flow and every active run's flow.
    /// </summary>
    private async Task<Func<FlowDefinition, ISegmentFacts>> FactsAsync(
        ProfileFlows flows, Profile profile, Func<string, bool> isInSegment, IEnumerable<FlowDefinition>? asked = null)
    {
        asked ??= catalog.LiveFlows(profile.WorkspaceId).Select(f => f.Definition)
            .Concat(flows.Active.Select(r => catalog.Version(r.FlowId, r.Version)).OfType<FlowDefinition>());
        var needsHistory = asked.Any(FlowFacts.NeedsHistory);
        IReadOnlyList<LoggedEvent> history = needsHistory
            ? await reader.ReadFamilyAsync(profile.Id, 0, long.MaxValue, CancellationToken.None)
            : [];
        var now = time.GetUtcNow();
        var facts = new FlowFacts(profile, isInSegment, history);
        return definition => facts.CountFor(definition, now);
    }
}
