using System.Collections.Immutable;
using System.Text.Json;
using Nudge.Core.Segments;

namespace Nudge.Core.Flows;

/// <summary>
/// One node of a flow's graph. Steps name the steps after them by id; a missing <c>next</c> ends the run there.
/// The graph has no loops (<see cref="FlowDefinitionReader"/> refuses them), so a run enters each step at most once
/// and (run, step) names each side effect exactly.
/// </summary>
/// <param name="Id">The step's id within the flow.</param>
public abstract record FlowStep(string Id)
{
    /// <summary>The steps this one can lead to.</summary>
    public abstract IEnumerable<string> Successors { get; }
}

/// <summary>A step that always goes on to the same next step (or ends the run when there is none).</summary>
public abstract record LinearStep(string Id, string? Next) : FlowStep(Id)
{
    public override IEnumerable<string> Successors => Next is null ? [] : [Next];
}

/// <summary>
/// Waits a fixed time. With a <c>MaxLateness</c>, a wake-up that comes later than that after its moment (the server
/// was down) exits the run instead of going on with a stale message; without one the run goes on however late.
/// </summary>
public sealed record WaitStep(string Id, TimeSpan Duration, TimeSpan? MaxLateness, string? Next) : LinearStep(Id, Next);

/// <summary>Waits until a time of day on an allowed weekday, in the profile's time zone (or the fallback zone); <c>MaxLateness</c> as for <see cref="WaitStep"/>.</summary>
public sealed record WaitUntilStep(string Id, TimeOnly TimeOfDay, ImmutableArray<DayOfWeek> Days, string FallbackZone, TimeSpan? MaxLateness, string? Next)
    : LinearStep(Id, Next);

/// <summary>Waits for an event, at most <see cref="Timeout"/>; goes on to one branch or the other.</summary>
public sealed record WaitForEventStep(string Id, EventCondition Match, TimeSpan Timeout, string? OnEvent, string? OnTimeout) : FlowStep(Id)
{
    public override IEnumerable<string> Successors => new[] { OnEvent, OnTimeout }.OfType<string>();
}

/// <summary>Goes one way or the other on a segment-style condition, answered when the run gets here.</summary>
public sealed record ConditionalSplitStep(string Id, Condition Condition, string? Yes, string? No) : FlowStep(Id)
{
    public override IEnumerable<string> Successors => new[] { Yes, No }.OfType<string>();
}

/// <summary>Random or A/B split: each branch by weight; the branch is fixed per run (replaying it takes the same one).</summary>
public sealed record RandomSplitStep(string Id, ImmutableArray<SplitBranch> Branches) : FlowStep(Id)
{
    public override IEnumerable<string> Successors => Branches.Select(b => b.Next).OfType<string>();
}

/// <summary>One branch of a <see cref="RandomSplitStep"/>: its label in reports ("A", "B", ...), its weight and its next step.</summary>
public sealed record SplitBranch(string Name, int Weight, string? Next);

/// <summary>
/// Sends a message (channel email, sms or push; a template rendered for the profile) through the outbox; delivery
/// applies consent, smart sending, caps and quiet hours. <c>SmartSending</c> is this step's window (null keeps the
/// channel's default, zero turns it off); <c>Transactional</c> messages (order, shipping) are exempt from smart
/// sending and marketing caps.
/// </summary>
public sealed record SendStep(string Id, string Channel, string TemplateId, TimeSpan? SmartSending, bool Transactional, string? Next) : LinearStep(Id, Next);

/// <summary>Sets a trait on the profile.</summary>
public sealed record UpdateProfileStep(string Id, string Trait, JsonElement Value, string? Next) : LinearStep(Id, Next);

/// <summary>Adds the profile to a static list, or removes it.</summary>
public sealed record ListStep(string Id, string ListId, bool Add, string? Next) : LinearStep(Id, Next);

/// <summary>Adds a tag to the profile, or removes it.</summary>
public sealed record TagStep(string Id, string Tag, bool Add, string? Next) : LinearStep(Id, Next);

/// <summary>Adds to (or subtracts from) a score trait, e.g. lead scoring.</summary>
public sealed record AdjustScoreStep(string Id, string Score, decimal By, string? Next) : LinearStep(Id, Next);

/// <summary>
/// Gives the person a code from a coupon pool (once per run and step, even across crashes); later templates of the
/// run see it as <c>coupon</c>.
/// </summary>
public sealed record AssignCouponStep(string Id, string PoolId, string? Next) : LinearStep(Id, Next);

/// <summary>Posts the run's data to a URL, signed (through the outbox, like a message).</summary>
public sealed record WebhookStep(string Id, Uri Url, string? Next) : LinearStep(Id, Next);

/// <summary>Ends this run and starts the profile in another flow (subject to that flow's rules).</summary>
public sealed record MoveToFlowStep(string Id, string FlowId) : FlowStep(Id)
{
    public override IEnumerable<string> Successors => [];
}

/// <summary>Ends the run.</summary>
public sealed record EndStep(string Id) : FlowStep(Id)
{
    public override IEnumerable<string> Successors => [];
}
