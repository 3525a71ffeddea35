using System.Text.Json;
using Nudge.Core.Flows;
using Nudge.Core.Ingestion;
using Nudge.Core.Segments;

namespace Nudge.Engine.Flows;

/// <summary>
/// One profile's flow runs inside its grain: plans the moves an event, a wake-up, a manual start or a cancel
/// makes (with <see cref="FlowRunner"/>), and keeps the runs as those moves leave them. Plans are taken into the
/// state at once, so later plans in the same batch see them; the grain drops this object when saving fails and
/// loads it again from the store.
/// </summary>
public sealed class ProfileFlows
{
    /// <summary>
    /// Events older than this when they reach the engine start no runs: an import of last year's orders must not
    /// send this year's thank-you mails. They still end runs and answer waits.
    /// </summary>
    public static readonly TimeSpan MaxTriggerAge = TimeSpan.FromDays(1);

    private readonly Dictionary<string, FlowRun> _active;
    private readonly Dictionary<string, DateTimeOffset> _lastStarts;
    private readonly HashSet<string> _known;
    private readonly Dictionary<string, DateTimeOffset> _dateWakeUps;

    public ProfileFlows(Nudge.Storage.Flows.ProfileRuns stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        _active = stored.Active.ToDictionary(r => r.Id, StringComparer.Ordinal);
        _lastStarts = new Dictionary<string, DateTimeOffset>(stored.LastStarts, StringComparer.Ordinal);
        _known = new HashSet<string>(stored.KnownRunIds, StringComparer.Ordinal);
        _dateWakeUps = new Dictionary<string, DateTimeOffset>(stored.DateWakeUps, StringComparer.Ordinal);
    }

    /// <summary>
    /// The date-flow wake-ups that must change after the profile changed: for each live date-triggered flow, the next
    /// moment its date property gives (null to remove one that no longer applies). A wake-up already due is left
    /// alone: it is about to fire, and its own firing sets the next one.
    /// </summary>
    public Dictionary<string, DateTimeOffset?> PlanDateWakeUps(Nudge.Core.Profiles.Profile profile, FlowCatalog catalog, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(catalog);
        var changes = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        foreach (var flow in catalog.LiveFlows(profile.WorkspaceId))
        {
            if (flow.Definition.Trigger is not DateTrigger trigger)
                continue;
            var known = _dateWakeUps.TryGetValue(flow.Id, out var at) ? at : (DateTimeOffset?)null;
            if (known <= now)
                continue;
            var next = trigger.Next(profile, now);
            if (next?.ToUnixTimeMilliseconds() == known?.ToUnixTimeMilliseconds())
                continue;
            changes[flow.Id] = next;
        }
        Remember(changes);
        return changes;
    }

    /// <summary>Takes in wake-ups the grain has written.</summary>
    public void Remember(IReadOnlyDictionary<string, DateTimeOffset?> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var (flowId, due) in changes)
        {
            if (due is { } moment)
                _dateWakeUps[flowId] = moment;
            else
                _dateWakeUps.Remove(flowId);
        }
    }

    /// <summary>The runs in progress.</summary>
    public IReadOnlyCollection<FlowRun> Active => _active.Values;

    /// <summary>
    /// Plans what <paramref name="e"/> does: it may end runs (exit events), answer waits, and start runs of live flows
    /// whose trigger it matches, highest priority first. Runs it starts do not see it as a later event.
    /// </summary>
    public List<RunAdvance> OnEvent(LoggedEvent e, string workspaceId, FlowCatalog catalog, Func<FlowDefinition, ISegmentFacts> facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(facts);

        var moves = new List<RunAdvance>();
        // Imported history happened before any run existed: it neither ends runs nor answers their waits nor starts any.
        if (ImportMark.IsImported(e.Body))
            return moves;
        foreach (var run in _active.Values.ToList())
        {
            if (Follow(run, catalog) is not { } flow)
                continue;
            var advance = FlowRunner.OnEvent(flow.Definition, flow.Run, e, facts(flow.Definition), now);
            Take(flow, advance, moves);
        }

        if (now - e.Timestamp > MaxTriggerAge)
            return moves;
        foreach (var live in catalog.LiveFlows(workspaceId))
        {
            if (live.Definition.Trigger is EventTrigger trigger && trigger.Matches(e)
                && Start(live, e.MessageId, e.Body, e.Name ?? e.Type.ToString(), facts(live.Definition), now) is { } started)
            {
                moves.Add(started);
            }
        }
        return moves;
    }

    /// <summary>Starts a run of <paramref name="flow"/> unless one of the same trigger exists, the re-entry rule forbids it or the flow filter fails.</summary>
    public RunAdvance? Start(LiveFlow flow, string triggerKey, JsonElement trigger, string description, ISegmentFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var runId = FlowRunner.RunId(flow.Id, facts.Profile.Id, triggerKey);
        if (_known.Contains(runId))
            return null;
        var hasActive = _active.Values.Any(r => r.FlowId == flow.Id);
        if (!flow.Definition.Reentry.Allows(_lastStarts.TryGetValue(flow.Id, out var last) ? last : null, hasActive, now))
            return null;

        var start = new FlowRunStart(runId, facts.Profile.WorkspaceId, flow.Id, flow.Version, trigger.Clone(), description);
        if (FlowRunner.Start(flow.Definition, start, facts, now) is not { } advance)
            return null;
        _known.Add(runId);
        _lastStarts[flow.Id] = now;
        var moves = new List<RunAdvance>();
        Take(new FollowedRun(advance.Run, flow.Definition), advance, moves);
        return moves[0];
    }

    /// <summary>Plans a wake-up of one run; null when the run is no longer active here or no longer waits for that moment.</summary>
    public RunAdvance? OnTimer(string runId, DateTimeOffset due, FlowCatalog catalog, Func<FlowDefinition, ISegmentFacts> facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(facts);
        if (!_active.TryGetValue(runId, out var run) || Follow(run, catalog) is not { } flow)
            return null;
        var moves = new List<RunAdvance>();
        Take(flow, FlowRunner.OnTimer(flow.Definition, flow.Run, due, facts(flow.Definition), now), moves);
        return moves.Count == 0 ? null : moves[0];
    }

    /// <summary>Plans the cancel of an active run; null when there is none with that id.</summary>
    public RunAdvance? Cancel(string runId, string reason, DateTimeOffset now)
    {
        if (!_active.TryGetValue(runId, out var run))
            return null;
        var advance = FlowRunner.Cancel(run, now, reason);
        _active.Remove(runId);
        return advance;
    }

    /// <summary>The run on the version it follows now (moved by an edit that chose to move runs); null when its version is gone.</summary>
    private static FollowedRun? Follow(FlowRun run, FlowCatalog catalog)
    {
        var version = catalog.FollowedVersion(run.FlowId, run.Version, run.Step);
        return catalog.Version(run.FlowId, version) is { } definition ? new FollowedRun(run with { Version = version }, definition) : null;
    }

    private void Take(FollowedRun flow, RunAdvance advance, List<RunAdvance> moves)
    {
        var moved = flow.Run.Version != (_active.TryGetValue(flow.Run.Id, out var before) ? before.Version : flow.Run.Version);
        if (!advance.Moved && !moved)
            return;
        if (advance.Run.IsActive)
            _active[advance.Run.Id] = advance.Run;
        else
            _active.Remove(advance.Run.Id);
        moves.Add(advance);
    }

    private sealed record FollowedRun(FlowRun Run, FlowDefinition Definition);
}
