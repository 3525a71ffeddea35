using System.Collections.Immutable;
using NodaTime;

namespace Nudge.Core.Segments;

/// <summary>
/// Answers a condition tree for one person at one moment, and says until when the answer holds, so that the
/// engine wakes the profile exactly when time alone changes its membership instead of scanning for it.
/// </summary>
/// <remarks>
/// <para>
/// A pure function of the condition, the person's facts (profile, event tallies, lists, other segments) and
/// <c>now</c>. <see cref="Verdict.ValidUntil"/> is never later than the moment the answer really changes by the
/// passing of time; it may be earlier (re-evaluating then gives the same answer and a later moment), and it is
/// null when only new events or profile changes can change the answer.
/// </para>
/// <list type="bullet">
/// <item><see cref="ProfileCondition"/>: the property's value (<see cref="ProfileProperties.Read"/>) tested as in
/// <see cref="ValueComparison"/>, with dates read in the profile's time zone (its IANA id; UTC when missing or
/// unknown).</item>
/// <item><see cref="EventCondition"/>: the number of matching events in the window, checked with the
/// <see cref="CountRule"/>. A rolling window of length L holds the events after <c>now - L</c>, so an event at t
/// stops counting exactly at <c>t + L</c>; "at least N" then holds until the N-th newest event leaves, "at most
/// N" (and "exactly N" when there are more) becomes true when the (N+1)-th newest leaves, and "exactly N" (N &gt; 0)
/// stops when the N-th newest leaves. Each of these moments is exact: the answer changes there. (When there are more
/// than N and the N-th and (N+1)-th newest happened at the same instant, they leave together, so time alone never
/// makes "exactly N" true.) Fixed windows (since, from-to) and <c>ever</c> do not change with time.</item>
/// <item><see cref="AggregateCondition"/>: the sum, count or average of the matching events' values in the
/// window, tested as a number (the sum and count of nothing are 0; the average of nothing is not set, so only
/// <c>notEquals</c>, <c>notIn</c> and <c>notSet</c> hold). With a rolling window the answer is re-checked when
/// the oldest counted event leaves.</item>
/// <item><see cref="ConsentCondition"/>: consent true is subscribed, false unsubscribed, none never subscribed.</item>
/// <item><see cref="NearCondition"/>: the great-circle (haversine, Earth radius 6371 km) distance from the
/// profile's coordinates is at most the radius; no coordinates, no match.</item>
/// <item><see cref="ListCondition"/>, <see cref="SegmentMembershipCondition"/>: current membership; the engine
/// re-evaluates dependents when that changes.</item>
/// <item><see cref="AllOf"/>, <see cref="AnyOf"/>, <see cref="Not"/>: the usual logic; an empty
/// <see cref="AllOf"/> is true and an empty <see cref="AnyOf"/> false. A false child of an AllOf (a true child of
/// an AnyOf) keeps the answer until the latest such child can change; otherwise the earliest change of any child
/// counts.</item>
/// </list>
/// </remarks>
public static class SegmentEvaluator
{
    private const double EarthRadiusKilometers = 6371;

    /// <summary>Answers <paramref name="condition"/> for the person behind <paramref name="facts"/> at <paramref name="now"/>.</summary>
    public static Verdict Evaluate(Condition condition, ISegmentFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(facts);

        var context = new Context(facts, now);
        return Evaluate(condition, ref context);
    }

    private static Verdict Evaluate(Condition condition, ref Context context)
    {
        switch (condition)
        {
            case AllOf all:
                return Combine(all.Conditions, decidingValue: false, ref context);
            case AnyOf any:
                return Combine(any.Conditions, decidingValue: true, ref context);
            case Not not:
                var inner = Evaluate(not.Inner, ref context);
                return inner with { IsMember = !inner.IsMember };
            case ProfileCondition profile:
                return ValueComparison.Test(
                    profile.Test, ValueComparison.Subject.From(ProfileProperties.Read(context.Facts.Profile, profile.Property)), context.Zone, context.Now);
            case EventCondition e:
                return Events(e, context.Facts.Tally(e.Key), context.Now);
            case AggregateCondition aggregate:
                return Aggregate(aggregate, context.Facts.Tally(aggregate.Key), context.Now);
            case ConsentCondition consent:
                return Verdict.Always(ConsentOf(context.Facts, consent.Channel) == consent.Status);
            case NearCondition near:
                return Verdict.Always(IsNear(context.Facts.Profile.Location, near));
            case ListCondition list:
                return Verdict.Always(context.Facts.IsInList(list.ListId));
            case SegmentMembershipCondition segment:
                return Verdict.Always(context.Facts.IsInSegment(segment.SegmentId));
            default:
                throw new ArgumentException($"Unknown condition {condition.GetType().Name}.", nameof(condition));
        }
    }

    private static Verdict Combine(ImmutableArray<Condition> children, bool decidingValue, ref Context context)
    {
        var combination = new VerdictCombination(decidingValue);
        if (children.IsDefault)
            return combination.Result;
        foreach (var child in children)
        {
            if (combination.Add(Evaluate(child, ref context)))
                break;
        }
        return combination.Result;
    }

    private static Verdict Events(EventCondition condition, EventTally tally, DateTimeOffset now)
    {
        var rule = condition.Count;
        if (condition.Window.Last is not { } last)
            return Verdict.Always(rule.IsSatisfiedBy(tally.Count));

        // The entries are ascending, so those still counting are a suffix, and the k-th newest is entries[^k].
        var entries = tally.Recent;
        var count = entries.Length - EventTally.FirstInWindow(entries, EventTally.Cutoff(now, last));
        var member = rule.IsSatisfiedBy(count);
        var n = rule.N;
        var until = rule.Comparison switch
        {
            CountComparison.AtLeast => member ? LeavesAt(entries, count, n, last) : null,
            CountComparison.AtMost => member ? null : LeavesAt(entries, count, n + 1, last),
            // Events at the same instant leave together: when the N-th and (N+1)-th newest tie, the count skips N.
            _ when count > n => n > 0 && entries[^n].At == entries[^(n + 1)].At ? null : LeavesAt(entries, count, n + 1, last),
            _ => member ? LeavesAt(entries, count, n, last) : null,
        };
        return new Verdict(member, until);
    }

    // When the k-th newest counted entry leaves the window (null when there is no such entry: nothing changes).
    private static DateTimeOffset? LeavesAt(ReadOnlySpan<TallyEntry> entries, int count, int k, TimeSpan last) =>
        k >= 1 && k <= count ? PlusSafe(entries[entries.Length - k].At, last) : null;

    private static Verdict Aggregate(AggregateCondition condition, EventTally tally, DateTimeOffset now)
    {
        long count;
        decimal sum;
        DateTimeOffset? until = null;
        if (condition.Window.Last is { } last)
        {
            var entries = tally.Recent;
            var first = EventTally.FirstInWindow(entries, EventTally.Cutoff(now, last));
            count = entries.Length - first;
            sum = 0;
            for (var i = first; i < entries.Length; i++)
                sum = EventTally.SaturatingAdd(sum, entries[i].Value);
            if (count > 0)
                until = PlusSafe(entries[first].At, last);
        }
        else
        {
            count = tally.Count;
            sum = tally.Sum;
        }

        var subject = condition.Function switch
        {
            AggregateFunction.Sum => ValueComparison.Subject.FromNumber(sum),
            AggregateFunction.Count => ValueComparison.Subject.FromNumber(count),
            _ => count == 0 ? ValueComparison.Subject.Missing : ValueComparison.Subject.FromNumber(sum / count),
        };
        var verdict = ValueComparison.Test(condition.Test, subject, DateTimeZone.Utc, now);
        return verdict with { ValidUntil = Earliest(verdict.ValidUntil, until) };
    }

    private static ConsentStatus ConsentOf(ISegmentFacts facts, string channel) =>
        facts.Profile.Consent.TryGetValue(channel, out var consented)
            ? consented ? ConsentStatus.Subscribed : ConsentStatus.Unsubscribed
            : ConsentStatus.NeverSubscribed;

    private static bool IsNear(Profiles.Location? location, NearCondition near)
    {
        if (location is not { Latitude: { } latitude, Longitude: { } longitude })
            return false;

        var lat1 = double.DegreesToRadians(latitude);
        var lat2 = double.DegreesToRadians(near.Latitude);
        var dLat = lat2 - lat1;
        var dLon = double.DegreesToRadians(near.Longitude - longitude);
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(lat1) * Math.Cos(lat2) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        var distance = 2 * EarthRadiusKilometers * Math.Asin(Math.Min(1, Math.Sqrt(a)));
        return distance <= near.Kilometers;
    }

    private static DateTimeOffset PlusSafe(DateTimeOffset at, TimeSpan span) =>
        DateTimeOffset.MaxValue - at < span ? DateTimeOffset.MaxValue : at + span;

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>What one evaluation reads, with the profile's time zone looked up only if a condition needs it.</summary>
    private struct Context(ISegmentFacts facts, DateTimeOffset now)
    {
        private DateTimeZone? _zone;

        public readonly ISegmentFacts Facts => facts;

        public readonly DateTimeOffset Now => now;

        public DateTimeZone Zone => _zone ??= ValueComparison.ZoneOf(facts.Profile.TimeZone);
    }
}
