using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Nudge.Core.Ingestion;
using Nudge.Core.Segments;

namespace Nudge.Core.Flows;

/// <summary>
/// The run state machine: pure code that moves a <see cref="FlowRun"/> through its flow's steps on a start, a
/// wake-up or an event, and says what to do outside (effects) and what to remember (history). The grain only
/// persists what comes out and schedules <see cref="RunWait.Due"/>.
/// </summary>
/// <remarks>
/// <para>
/// A move walks instant steps (splits, sends, profile and list changes, webhooks, coupons) until the run waits or ends. The
/// flow filter is checked before every step; when it no longer holds, the run exits there.
/// </para>
/// <para>
/// Late wake-ups (the server was down at the moment): a wait or wait-until step with a <c>maxLateness</c> exits the
/// run when the wake-up comes more than that after its moment, so a two-day-late "10:00 reminder" is not sent;
/// without it the run goes on. A wait-for-event timeout always goes on to its timeout branch. Waits that follow
/// count from the moment the run really moved on.
/// </para>
/// <para>
/// Exits (<see cref="FlowDefinition.ExitOn"/>) are checked on every event the profile does while the run is
/// active, before a wait-for-event step looks at it.
/// </para>
/// </remarks>
public static class FlowRunner
{
    /// <summary>
    /// The run id for a trigger: the same flow, profile and trigger give the same run, so a replayed trigger starts
    /// nothing new (a scheduled occurrence is one trigger for many profiles, hence the profile).
    /// </summary>
    /// <param name="flowId">The flow.</param>
    /// <param name="profileId">The person.</param>
    /// <param name="triggerKey">What started the run: the trigger event's message id, the manual start's key, the occurrence.</param>
    public static string RunId(string flowId, string profileId, string triggerKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(flowId + "\n" + profileId + "\n" + triggerKey));
        return "run_" + Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }

    /// <summary>
    /// Starts a run, or returns null when the flow filter does not hold for the profile now (it never enters).
    /// </summary>
    public static RunAdvance? Start(
        FlowDefinition flow, FlowRunStart start, ISegmentFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(facts);

        if (flow.Filter is { } filter && !SegmentEvaluator.Evaluate(filter, facts, now).IsMember)
            return null;

        var run = new FlowRun(start.RunId, start.WorkspaceId, start.FlowId, start.Version, facts.Profile.Id, RunStatus.Active, flow.Start,
            now, now, null, null, start.Trigger, null, 0);
        var walk = new Walk(flow, facts, now);
        walk.History.Add(new StepRecord("trigger", "trigger", now, start.Description));
        return walk.From(run, flow.Start);
    }

    /// <summary>
    /// A wake-up for the moment <paramref name="due"/> (to the millisecond); a wake-up the run no longer waits for, or
    /// one that comes early, changes nothing.
    /// </summary>
    public static RunAdvance OnTimer(FlowDefinition flow, FlowRun run, DateTimeOffset due, ISegmentFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(run);

        // Moments compare to the millisecond: the timer table keeps no finer.
        if (!run.IsActive || run.Wait?.Due?.ToUnixTimeMilliseconds() != due.ToUnixTimeMilliseconds() || now < due
            || !flow.Steps.TryGetValue(run.Step, out var step))
        {
            return RunAdvance.Unchanged(run);
        }

        var walk = new Walk(flow, facts, now);
        var late = now - due;
        var kind = KindOf(step);
        switch (step)
        {
            case WaitStep { MaxLateness: { } max } when late > max:
            case WaitUntilStep { MaxLateness: { } max2 } when late > max2:
                walk.History.Add(new StepRecord(step.Id, kind, now, $"woke {Describe(late)} late (more than allowed): exited"));
                return walk.End(run, step.Id, RunStatus.Exited, "too late");
            case WaitStep wait:
                walk.History.Add(new StepRecord(step.Id, kind, now, "wait over"));
                return walk.Next(run with { Wait = null }, wait.Next);
            case WaitUntilStep until:
                walk.History.Add(new StepRecord(step.Id, kind, now, "wait over"));
                return walk.Next(run with { Wait = null }, until.Next);
            case WaitForEventStep waitFor:
                walk.History.Add(new StepRecord(step.Id, kind, now, $"no {waitFor.Match.Event} within {Describe(waitFor.Timeout)}: timeout branch"));
                return walk.Next(run with { Wait = null }, waitFor.OnTimeout);
            default:
                return RunAdvance.Unchanged(run);
        }
    }

    /// <summary>An event of the profile while the run is active: an exit event ends it, the awaited event moves it on.</summary>
    public static RunAdvance OnEvent(FlowDefinition flow, FlowRun run, LoggedEvent e, ISegmentFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(e);

        if (!run.IsActive)
            return RunAdvance.Unchanged(run);

        var walk = new Walk(flow, facts, now);
        foreach (var exit in flow.ExitOn)
        {
            if (EventMatching.TryRead(exit, e, out _))
            {
                walk.History.Add(new StepRecord("exit", "exit", now, $"exited: {e.Name}"));
                return walk.End(run, run.Step, RunStatus.Exited, "exit event: " + e.Name);
            }
        }

        if (run.Wait is { ForEvent: true } && flow.Steps.TryGetValue(run.Step, out var step) && step is WaitForEventStep waitFor
            && EventMatching.TryRead(waitFor.Match, e, out _))
        {
            walk.History.Add(new StepRecord(step.Id, "waitForEvent", now, $"{e.Name} happened: event branch"));
            return walk.Next(run with { Wait = null }, waitFor.OnEvent);
        }

        return RunAdvance.Unchanged(run);
    }

    /// <summary>Stops an active run (through the API).</summary>
    public static RunAdvance Cancel(FlowRun run, DateTimeOffset now, string reason)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.IsActive)
            return RunAdvance.Unchanged(run);
        var ended = run with { Status = RunStatus.Cancelled, Wait = null, UpdatedAt = now, EndedAt = now, EndReason = reason };
        return new RunAdvance(ended, [], [new StepRecord(run.Step, "cancel", now, "cancelled: " + reason)]);
    }

    /// <summary>The step kind's name as written in definitions.</summary>
    public static string KindOf(FlowStep step) => step switch
    {
        WaitStep => "wait",
        WaitUntilStep => "waitUntil",
        WaitForEventStep => "waitForEvent",
        ConditionalSplitStep => "split",
        RandomSplitStep => "randomSplit",
        SendStep => "send",
        UpdateProfileStep => "updateProfile",
        ListStep { Add: true } => "addToList",
        ListStep => "removeFromList",
        TagStep { Add: true } => "addTag",
        TagStep => "removeTag",
        AdjustScoreStep => "adjustScore",
        WebhookStep => "webhook",
        AssignCouponStep => "assignCoupon",
        MoveToFlowStep => "moveToFlow",
        _ => "end",
    };

    /// <summary>The branch a random split takes for a run: fixed by (run, step), so a replay takes the same one.</summary>
    public static SplitBranch Pick(RandomSplitStep split, string runId)
    {
        ArgumentNullException.ThrowIfNull(split);
        var total = split.Branches.Sum(b => (long)b.Weight);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(runId + "\n" + split.Id));
        var ticket = (long)(BinaryPrimitives.ReadUInt64LittleEndian(hash) % (ulong)total);
        foreach (var branch in split.Branches)
        {
            ticket -= branch.Weight;
            if (ticket < 0)
                return branch;
        }
        return split.Branches[^1];
    }

    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{span.TotalDays:0.#} days"
        : span.TotalHours >= 1 ? $"{span.TotalHours:0.#} hours"
        : span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0.#} minutes"
        : $"{span.TotalSeconds:0.#} seconds";

    /// <summary>One move of one run: collects effects and history while it walks.</summary>
    private sealed class Walk(FlowDefinition flow, ISegmentFacts facts, DateTimeOffset now)
    {
        // Profile and list steps change what later steps of the same move see, before their events come back from the log.
        private ISegmentFacts _facts = facts;

        public List<StepRecord> History { get; } = [];

        private readonly List<RunEffect> _effects = [];

        public RunAdvance Next(FlowRun run, string? next) =>
            next is null ? End(run, run.Step, RunStatus.Completed, "completed") : From(run, next);

        public RunAdvance From(FlowRun run, string stepId)
        {
            while (true)
            {
                var step = flow.Steps[stepId];
                var kind = KindOf(step);
                run = run with { Step = step.Id, UpdatedAt = now, StepsTaken = run.StepsTaken + 1 };
                if (flow.Filter is { } filter && !SegmentEvaluator.Evaluate(filter, _facts, now).IsMember)
                {
                    History.Add(new StepRecord(step.Id, kind, now, "flow filter no longer holds: exited"));
                    return End(run, step.Id, RunStatus.Exited, "filter");
                }

                string? next;
                switch (step)
                {
                    case WaitStep wait:
                        return Waiting(run, step, kind, now + wait.Duration, forEvent: false);
                    case WaitUntilStep until:
                        return Waiting(run, step, kind, LocalMoments.Next(now, _facts.Profile.TimeZone, until.FallbackZone, until.TimeOfDay, until.Days), forEvent: false);
                    case WaitForEventStep waitFor:
                        return Waiting(run, step, kind, now + waitFor.Timeout, forEvent: true);
                    case ConditionalSplitStep split:
                        var yes = SegmentEvaluator.Evaluate(split.Condition, _facts, now).IsMember;
                        History.Add(new StepRecord(step.Id, kind, now, yes ? "branch yes" : "branch no"));
                        next = yes ? split.Yes : split.No;
                        break;
                    case RandomSplitStep random:
                        var branch = Pick(random, run.Id);
                        History.Add(new StepRecord(step.Id, kind, now, "branch " + branch.Name));
                        next = branch.Next;
                        break;
                    case SendStep send:
                        _effects.Add(new SendMessage(step.Id, send.Channel, send.TemplateId, send.SmartSending, send.Transactional, flow.Priority));
                        History.Add(new StepRecord(step.Id, kind, now, $"queued {send.Channel} {send.TemplateId}"));
                        next = send.Next;
                        break;
                    case UpdateProfileStep update:
                        Change(new ChangeProfile(step.Id, new SetTrait(update.Trait, update.Value)));
                        History.Add(new StepRecord(step.Id, kind, now, $"set {update.Trait}"));
                        next = update.Next;
                        break;
                    case ListStep list:
                        Change(new ChangeList(step.Id, list.ListId, list.Add));
                        History.Add(new StepRecord(step.Id, kind, now, (list.Add ? "added to " : "removed from ") + list.ListId));
                        next = list.Next;
                        break;
                    case TagStep tag:
                        Change(new ChangeProfile(step.Id, new ChangeTag(tag.Tag, tag.Add)));
                        History.Add(new StepRecord(step.Id, kind, now, (tag.Add ? "tagged " : "untagged ") + tag.Tag));
                        next = tag.Next;
                        break;
                    case AdjustScoreStep score:
                        Change(new ChangeProfile(step.Id, new AddToScore(score.Score, score.By)));
                        History.Add(new StepRecord(step.Id, kind, now, string.Create(CultureInfo.InvariantCulture, $"{score.Score} {score.By:+0.##;-0.##}")));
                        next = score.Next;
                        break;
                    case WebhookStep webhook:
                        _effects.Add(new CallWebhook(step.Id, webhook.Url));
                        History.Add(new StepRecord(step.Id, kind, now, "queued webhook " + webhook.Url.Host));
                        next = webhook.Next;
                        break;
                    case AssignCouponStep coupon:
                        _effects.Add(new AssignCoupon(step.Id, coupon.PoolId));
                        History.Add(new StepRecord(step.Id, kind, now, "coupon from " + coupon.PoolId));
                        next = coupon.Next;
                        break;
                    case MoveToFlowStep move:
                        _effects.Add(new StartFlow(step.Id, move.FlowId));
                        History.Add(new StepRecord(step.Id, kind, now, "moved to " + move.FlowId));
                        return End(run, step.Id, RunStatus.Exited, "moved to " + move.FlowId);
                    default:
                        History.Add(new StepRecord(step.Id, kind, now, "end"));
                        return End(run, step.Id, RunStatus.Completed, "completed");
                }

                if (next is null)
                    return End(run, step.Id, RunStatus.Completed, "completed");
                stepId = next;
            }
        }

        public RunAdvance End(FlowRun run, string stepId, RunStatus status, string reason) =>
            Done(run with { Step = stepId, Status = status, Wait = null, UpdatedAt = now, EndedAt = now, EndReason = reason });

        private void Change(RunEffect effect)
        {
            _effects.Add(effect);
            var profile = _facts.Profile;
            profile = effect switch
            {
                ChangeProfile change when ProfileChanges.Apply(profile, change.Change) is var (trait, value) =>
                    profile with { Traits = profile.Traits.SetItem(trait, System.Text.Json.JsonSerializer.SerializeToElement(value)) },
                ChangeList { Join: true } list => profile with { Lists = profile.Lists.SetItem(list.ListId, now) },
                ChangeList list => profile with { Lists = profile.Lists.Remove(list.ListId) },
                _ => profile,
            };
            _facts = new ChangedFacts(_facts, profile);
        }

        private RunAdvance Waiting(FlowRun run, FlowStep step, string kind, DateTimeOffset due, bool forEvent)
        {
            History.Add(new StepRecord(step.Id, kind, now, forEvent
                ? $"waiting for {((WaitForEventStep)step).Match.Event} until {due.ToString("u", CultureInfo.InvariantCulture)}"
                : $"waiting until {due.ToString("u", CultureInfo.InvariantCulture)}"));
            return Done(run with { Wait = new RunWait(due, forEvent) });
        }

        private RunAdvance Done(FlowRun run) => new(run, [.. _effects], [.. History]);
    }

    /// <summary>The facts of a move after its profile and list steps: the changed profile, the rest as before.</summary>
    private sealed class ChangedFacts(ISegmentFacts inner, Profiles.Profile profile) : ISegmentFacts
    {
        public Profiles.Profile Profile => profile;

        public EventTally Tally(string conditionKey) => inner.Tally(conditionKey);

        public bool IsInList(string listId) => profile.Lists.ContainsKey(listId);

        public bool IsInSegment(string segmentId) => inner.IsInSegment(segmentId);
    }
}
