using System.Collections.Immutable;

namespace Nudge.Core.Segments;

/// <summary>
/// A node of a segment's condition tree. The same tree drives segments, flow filters and splits; it is read
/// from JSON by <see cref="SegmentDefinitionReader"/> and answered by <see cref="SegmentEvaluator"/>.
/// </summary>
public abstract record Condition;

/// <summary>True when every child is true (an empty list is true).</summary>
public sealed record AllOf(ImmutableArray<Condition> Conditions) : Condition;

/// <summary>True when at least one child is true (an empty list is false).</summary>
public sealed record AnyOf(ImmutableArray<Condition> Conditions) : Condition;

/// <summary>True when the inner condition is false.</summary>
public sealed record Not(Condition Inner) : Condition;

/// <summary>A test on one property of the profile, e.g. <c>traits.city equals Berlin</c> or <c>computed.orderCount greaterThan 3</c>.</summary>
/// <param name="Property">A path from <see cref="ProfileProperties"/>.</param>
/// <param name="Test">The comparison applied to the property's value.</param>
public sealed record ProfileCondition(string Property, ValueTest Test) : Condition;

/// <summary>"Did / did not do <c>Event</c> [where ...] at least / at most / exactly N times [in a window]".</summary>
/// <param name="Key">The node's path in the definition; names the tally the engine keeps for it.</param>
/// <param name="Event">The track event name, compared exactly.</param>
/// <param name="Where">Tests on the event's properties that all must hold.</param>
/// <param name="Count">How many matching events are needed.</param>
/// <param name="Window">Which of them count.</param>
public sealed record EventCondition(string Key, string Event, ImmutableArray<PropertyFilter> Where, CountRule Count, TimeWindow Window) : Condition;

/// <summary>A sum, average or count of an event property over a window, compared with a value (e.g. revenue in the last 365 days &gt; 500).</summary>
/// <param name="Key">The node's path in the definition; names the tally the engine keeps for it.</param>
/// <param name="Event">The track event name, compared exactly.</param>
/// <param name="Where">Tests on the event's properties that all must hold.</param>
/// <param name="Function">How the values are combined.</param>
/// <param name="Of">The event property aggregated (a dotted path into <c>properties</c>); ignored by <see cref="AggregateFunction.Count"/>.</param>
/// <param name="Test">The comparison applied to the aggregate (an average of no events is not set).</param>
/// <param name="Window">Which events count.</param>
public sealed record AggregateCondition(
    string Key, string Event, ImmutableArray<PropertyFilter> Where, AggregateFunction Function, string? Of, ValueTest Test, TimeWindow Window) : Condition;

/// <summary>The person's consent status on a channel (email, sms, push).</summary>
public sealed record ConsentCondition(string Channel, ConsentStatus Status) : Condition;

/// <summary>The person's known location lies within <c>Kilometers</c> of a point.</summary>
public sealed record NearCondition(double Latitude, double Longitude, double Kilometers) : Condition;

/// <summary>The person is a member of a static list.</summary>
public sealed record ListCondition(string ListId) : Condition;

/// <summary>The person is a member of another segment (definitions may not form a cycle).</summary>
public sealed record SegmentMembershipCondition(string SegmentId) : Condition;

/// <summary>A test on one property of an event, used in the <c>where</c> part of event and aggregate conditions.</summary>
/// <param name="Property">A dotted path into the event's <c>properties</c>; an array on the way matches when any element does.</param>
/// <param name="Test">The comparison applied to the property's value.</param>
public sealed record PropertyFilter(string Property, ValueTest Test);

public enum AggregateFunction
{
    Sum,
    Average,
    Count,
}

public enum ConsentStatus
{
    Subscribed,
    Unsubscribed,
    NeverSubscribed,
}
