using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Nudge.Core.Ingestion;
using Nudge.Core.Profiles;
using Nudge.Core.Segments;
using Nudge.Core.Tests.Support;
using static Nudge.Core.Tests.Support.Conditions;

namespace Nudge.Core.Tests.Segments;

/// <summary>
/// Properties over random condition trees and event histories: what the engine keeps incrementally answers like a
/// rebuild from the whole history, and an answer never changes before its <see cref="Verdict.ValidUntil"/>.
/// </summary>
public sealed class SegmentEvaluatorProperties
{
    private const int Cases = 250;
    private static readonly DateTimeOffset T0 = Some.Start;
    private static readonly string[] Zones =
        ["UTC", "Europe/Berlin", "America/New_York", "America/Sao_Paulo", "America/Santiago", "Asia/Beirut", "Australia/Lord_Howe"];

    private static Config Quick => Config.QuickThrowOnFailure.WithMaxTest(Cases);

    [Fact]
    public void Tallies_folded_event_by_event_answer_like_tallies_rebuilt_from_the_whole_history() =>
        Check.One(Quick, Prop.ForAll(Scenarios(EventLeaf()).ToArbitrary(), scenario =>
        {
            var tree = scenario.Tree;
            var incremental = new InMemorySegmentFacts(scenario.Profile);
            var history = new List<LoggedEvent>();
            var now = T0;

            foreach (var arrival in scenario.Arrivals)
            {
                now += arrival.Step;
                AssertAnswersAlike(tree, incremental, history, now);

                var e = arrival.ToEvent(now);
                history.Add(e);
                foreach (var node in EventNodes(tree))
                {
                    var (key, window) = KeyAndWindow(node);
                    var tally = incremental.TallyFor(key);
                    if (arrival.Prune)
                        tally.Prune(window, now);
                    if (TryRead(node, e, out var value))
                        tally.Add(window, e.Timestamp, value, now);
                }
                AssertAnswersAlike(tree, incremental, history, now);
            }

            // A history split in two (a merged profile, a background build) and absorbed answers alike too.
            var first = new InMemorySegmentFacts(scenario.Profile).Saw(tree, now, [.. history.Where((_, i) => scenario.Arrivals[i].InFirstHalf)]);
            var second = new InMemorySegmentFacts(scenario.Profile).Saw(tree, now, [.. history.Where((_, i) => !scenario.Arrivals[i].InFirstHalf)]);
            foreach (var node in EventNodes(tree))
                first.TallyFor(KeyAndWindow(node).Key).Absorb(second.TallyFor(KeyAndWindow(node).Key));
            Assert.Equal(Rebuilt(tree, scenario.Profile, history, now), SegmentEvaluator.Evaluate(tree, first, now));
        }));

    [Fact]
    public void An_answer_holds_until_its_valid_until_and_leaves_change_exactly_there() =>
        Check.One(Quick, Prop.ForAll(Scenarios(Gen.Frequency((1, EventLeaf()), (1, ProfileLeaf()))).ToArbitrary(), AssertHoldsUntilValidUntil));

    [Fact]
    public void Trees_of_leaves_that_all_change_with_time_hold_until_their_valid_until() =>
        Check.One(Quick, Prop.ForAll(Scenarios(TimeBoundLeaf()).ToArbitrary(), AssertHoldsUntilValidUntil));

    private static void AssertHoldsUntilValidUntil(Scenario scenario)
    {
        var tree = scenario.Tree;
        var facts = new InMemorySegmentFacts(scenario.Profile);
        var now = T0;
        foreach (var arrival in scenario.Arrivals)
        {
            now += arrival.Step;
            facts.Saw(tree, now, arrival.ToEvent(now));
        }

        var verdict = SegmentEvaluator.Evaluate(tree, facts, now);
        var end = verdict.ValidUntil ?? now.AddDays(800);
        if (verdict.ValidUntil is { } until)
        {
            Assert.True(until > now, $"valid until {until:O} is not after now {now:O}");
            var next = SegmentEvaluator.Evaluate(tree, facts, until).ValidUntil;
            Assert.True(next is null || next > until, $"re-evaluating at {until:O} gives no later moment ({next:O})");
        }

        // The tree can only change where a leaf does: just before and at each of their changes, and at random moments.
        var samples = new List<DateTimeOffset>(scenario.Samples.Select(s => now + s));
        foreach (var leaf in Leaves(tree))
            samples.AddRange(LeafChanges(leaf, facts, now, end));

        foreach (var at in samples)
        {
            if (at >= now && at < end)
                Assert.True(verdict.IsMember == SegmentEvaluator.Evaluate(tree, facts, at).IsMember, $"the answer changed at {at:O}, before {end:O}");
        }
    }

    private static void AssertAnswersAlike(Condition tree, InMemorySegmentFacts incremental, List<LoggedEvent> history, DateTimeOffset now) =>
        Assert.Equal(Rebuilt(tree, incremental.Profile, history, now), SegmentEvaluator.Evaluate(tree, incremental, now));

    private static Verdict Rebuilt(Condition tree, Profile profile, List<LoggedEvent> history, DateTimeOffset now) =>
        SegmentEvaluator.Evaluate(tree, new InMemorySegmentFacts(profile).Saw(tree, now, [.. history]), now);

    /// <summary>
    /// Walks a leaf's own timeline from <paramref name="now"/>: each moment it says it may change, and the tick before.
    /// Leaves whose valid-until is exact must really change there.
    /// </summary>
    private static IEnumerable<DateTimeOffset> LeafChanges(Condition leaf, InMemorySegmentFacts facts, DateTimeOffset now, DateTimeOffset end)
    {
        var at = now;
        var verdict = SegmentEvaluator.Evaluate(leaf, facts, at);
        for (var step = 0; step < 64 && verdict.ValidUntil is { } until && until < end.AddTicks(1); step++)
        {
            Assert.True(until > at, $"{leaf} is valid until {until:O}, not after {at:O}");
            yield return until.AddTicks(-1);
            yield return until;

            var next = SegmentEvaluator.Evaluate(leaf, facts, until);
            if (IsExact(leaf))
                Assert.True(next.IsMember != verdict.IsMember, $"{leaf} did not change at its valid-until {until:O}");
            at = until;
            verdict = next;
        }
    }

    // Aggregates wake up when their oldest event leaves, whether or not that changes the answer; anniversaries
    // far enough ahead come round again within the window.
    private static bool IsExact(Condition leaf) => leaf switch
    {
        EventCondition => true,
        ProfileCondition { Test.Operator: ValueOperator.AnniversaryWithin, Test.Days: > 300 } => false,
        ProfileCondition => true,
        _ => false,
    };

    private static IEnumerable<Condition> Leaves(Condition condition) => condition switch
    {
        AllOf all => all.Conditions.SelectMany(Leaves),
        AnyOf any => any.Conditions.SelectMany(Leaves),
        Not not => Leaves(not.Inner),
        _ => [condition],
    };

    private static (string Key, TimeWindow Window) KeyAndWindow(Condition node) => node switch
    {
        EventCondition e => (e.Key, e.Window),
        AggregateCondition a => (a.Key, a.Window),
        _ => throw new ArgumentException("Not an event node.", nameof(node)),
    };

    private static bool TryRead(Condition node, LoggedEvent e, out decimal value)
    {
        value = 0;
        return node switch
        {
            EventCondition c => EventMatching.TryRead(c, e, out value),
            AggregateCondition a => EventMatching.TryRead(a, e, out value),
            _ => false,
        };
    }

    // ---- generators ------------------------------------------------------------------------------------------

    private static Gen<Scenario> Scenarios(Gen<Condition> leaf) =>
        from profile in Profiles()
        from tree in Tree(leaf, depth: 3)
        from count in Gen.Frequency((1, Gen.Choose(0, 5)), (3, Gen.Choose(5, 30)))
        from arrivals in Gen.ArrayOf(Arrivals(), count)
        from samples in Gen.ArrayOf(Gen.Choose(0, 400 * 24 * 60).Select(m => TimeSpan.FromMinutes(m)), 12)
        select new Scenario(profile, Rekey(tree), [.. arrivals], [.. samples]);

    private static Gen<Condition> Tree(Gen<Condition> leaf, int depth)
    {
        if (depth == 0)
            return leaf;
        var child = Tree(leaf, depth - 1);
        var children = Gen.Frequency((1, Gen.Choose(0, 1)), (6, Gen.Choose(2, 4)))
            .SelectMany(n => Gen.ArrayOf(child, n))
            .Select(c => c.ToImmutableArray());
        return Gen.Frequency(
            (depth, leaf),
            (2, children.Select(c => (Condition)new AllOf(c))),
            (2, children.Select(c => (Condition)new AnyOf(c))),
            (1, child.Select(c => (Condition)new Not(c))));
    }

    private static Gen<Condition> EventLeaf() =>
        Gen.Frequency(
            (2, from name in EventNames()
                from comparison in Gen.Elements(CountComparison.AtLeast, CountComparison.AtMost, CountComparison.Exactly)
                from n in Gen.Frequency((1, Gen.Constant(0)), (3, Gen.Choose(1, 3)), (1, Gen.Choose(4, 8)))
                from window in Windows()
                from filters in Filters()
                select (Condition)new EventCondition("", name, filters, new CountRule(comparison, n), window)),
            (1, from name in EventNames()
                from function in Gen.Elements(AggregateFunction.Sum, AggregateFunction.Average, AggregateFunction.Count)
                from test in Gen.Elements(
                    Test(ValueOperator.GreaterThan, 5), Test(ValueOperator.LessOrEqual, 3), Test(ValueOperator.Equals, 2),
                    Test(ValueOperator.Between, 2, 6), Test(ValueOperator.NotEquals, 0), Test(ValueOperator.IsSet), Test(ValueOperator.NotSet))
                from window in Windows()
                from filters in Filters()
                select (Condition)new AggregateCondition("", name, filters, function, "v", test, window)));

    private static Gen<Condition> ProfileLeaf() =>
        from trait in Gen.Elements("traits.d1", "traits.d2", "traits.d3")
        from test in Gen.Frequency(
            (3, from op in Gen.Elements(ValueOperator.WithinLast, ValueOperator.MoreThanDaysAgo, ValueOperator.AnniversaryWithin)
                from days in Gen.Frequency((3, Gen.Choose(0, 10)), (2, Gen.Choose(10, 60)), (1, Gen.Choose(0, 400)))
                select Days(op, days)),
            (1, from op in Gen.Elements(ValueOperator.Before, ValueOperator.After)
                from minutes in Gen.Choose(-400 * 24 * 60, 400 * 24 * 60)
                select Test(op, Some.Iso(T0.AddMinutes(minutes)))))
        select (Condition)Property(trait, test);

    // Dates near now with windows that reach them: leaves that nearly always say when they change.
    private static Gen<Condition> TimeBoundLeaf() =>
        from trait in Gen.Elements("traits.d1", "traits.d2", "traits.d3")
        from op in Gen.Elements(ValueOperator.WithinLast, ValueOperator.WithinLast, ValueOperator.MoreThanDaysAgo)
        from days in Gen.Choose(1, 90)
        select (Condition)Property(trait, Days(op, days));

    private static Gen<string> EventNames() => Gen.Elements("A", "A", "B");

    private static Gen<TimeWindow> Windows() =>
        Gen.Frequency(
            (2, Gen.Choose(1, 120).Select(m => Last(TimeSpan.FromMinutes(m)))),
            (4, Gen.Choose(1, 48).Select(h => Last(TimeSpan.FromHours(h)))),
            (4, Gen.Choose(1, 30).Select(d => Last(TimeSpan.FromDays(d)))),
            (1, Gen.Choose(-3 * 24 * 60, 10 * 24 * 60).Select(m => Between(T0.AddMinutes(m)))),
            (1, from m in Gen.Choose(-3 * 24 * 60, 10 * 24 * 60)
                from length in Gen.Choose(1, 5 * 24 * 60)
                select Between(T0.AddMinutes(m), T0.AddMinutes(m + length))),
            (1, Gen.Constant(TimeWindow.Ever)));

    private static Gen<ImmutableArray<PropertyFilter>> Filters() =>
        Gen.Frequency(
            (6, Gen.Constant(ImmutableArray<PropertyFilter>.Empty)),
            (1, Gen.Constant(ImmutableArray.Create(Where("kind", ValueOperator.Equals, "x")))),
            (1, Gen.Constant(ImmutableArray.Create(Where("kind", ValueOperator.NotEquals, "y")))),
            (1, Gen.Constant(ImmutableArray.Create(Where("v", ValueOperator.GreaterThan, 2)))));

    private static Gen<Arrival> Arrivals() =>
        from step in Gen.Frequency(
            (2, Gen.Choose(0, 3600)),
            (3, Gen.Choose(0, 24 * 60).Select(m => m * 60)),
            (1, Gen.Choose(0, 5 * 24).Select(h => h * 3600)),
            (1, Gen.Elements(0, 60, 3600, 86400)))
        from age in Gen.Frequency(
            (2, Gen.Choose(0, 3600)),
            (3, Gen.Choose(0, 3 * 24 * 60).Select(m => m * 60)),
            (1, Gen.Choose(-60, 0).Select(m => m * 60)),
            (1, Gen.Choose(0, 40 * 24).Select(h => h * 3600)),
            (1, Gen.Elements(60, 3600, 86400, 7 * 86400)))
        from name in EventNames()
        from v in Gen.Choose(-1, 9)
        from asText in Gen.Elements(false, false, true)
        from kind in Gen.Elements("x", "y")
        from prune in Gen.Elements(true, false)
        from half in Gen.Elements(true, false)
        select new Arrival(TimeSpan.FromSeconds(step), TimeSpan.FromSeconds(age), name, v < 0 ? null : v, asText, kind, prune, half);

    private static Gen<Profile> Profiles() =>
        from zone in Gen.Elements(Zones)
        from d1 in Dates()
        from d2 in Dates()
        from d3 in Dates()
        select Some.Profile() with
        {
            TimeZone = zone,
            Traits = Some.Profile().Traits
                .Add("d1", Some.Json(JsonValue.Create(d1)))
                .Add("d2", Some.Json(JsonValue.Create(d2)))
                .Add("d3", Some.Json(JsonValue.Create(d3))),
        };

    // Instants and local days, with birthdays on 29 February and on days with a DST change among them.
    private static Gen<string> Dates() =>
        Gen.Frequency(
            (3, Gen.Choose(-60 * 24 * 60, 30 * 24 * 60).Select(m => Some.Iso(T0.AddMinutes(m)))),
            (1, Gen.Choose(-3 * 365 * 24 * 60, 60 * 24 * 60).Select(m => Some.Iso(T0.AddMinutes(m)))),
            (3, Gen.Choose(-3 * 365, 60).Select(d => T0.AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
            (1, Gen.Elements("2000-02-29", "1985-03-29", "1985-10-25", "1990-03-08", "1990-11-01", "1999-09-06", "2001-04-05")));

    /// <summary>Gives every event and aggregate node its own key, as the reader does with the node's path.</summary>
    private static Condition Rekey(Condition tree)
    {
        var next = 0;
        return Walk(tree);

        Condition Walk(Condition node) => node switch
        {
            AllOf all => new AllOf([.. all.Conditions.Select(Walk)]),
            AnyOf any => new AnyOf([.. any.Conditions.Select(Walk)]),
            Not not => new Not(Walk(not.Inner)),
            EventCondition e => e with { Key = "k" + next++.ToString(CultureInfo.InvariantCulture) },
            AggregateCondition a => a with { Key = "k" + next++.ToString(CultureInfo.InvariantCulture) },
            _ => node,
        };
    }

    /// <summary>
    /// One event arriving after the clock moved by <see cref="Step"/>, having happened <see cref="Age"/> earlier (later,
    /// when negative). Times are mostly whole minutes, like the windows, so that events fall exactly on window edges.
    /// </summary>
    private sealed record Arrival(TimeSpan Step, TimeSpan Age, string Name, int? V, bool VAsText, string Kind, bool Prune, bool InFirstHalf)
    {
        public LoggedEvent ToEvent(DateTimeOffset now)
        {
            var properties = new JsonObject { ["kind"] = Kind };
            if (V is { } v)
                properties["v"] = VAsText ? v.ToString(CultureInfo.InvariantCulture) : v;
            return Some.Track(Name, properties).At(now - Age);
        }
    }

    private sealed record Scenario(Profile Profile, Condition Tree, ImmutableArray<Arrival> Arrivals, ImmutableArray<TimeSpan> Samples)
    {
        public override string ToString()
        {
            var text = new StringBuilder()
                .Append("zone ").Append(Profile.TimeZone)
                .Append(", d1 ").Append(Profile.Traits["d1"]).Append(", d2 ").Append(Profile.Traits["d2"]).Append(", d3 ").Append(Profile.Traits["d3"]).AppendLine()
                .Append("tree ").AppendLine(Describe(Tree));
            foreach (var arrival in Arrivals)
                text.AppendLine(arrival.ToString());
            return text.ToString();
        }

        private static string Describe(Condition condition) => condition switch
        {
            AllOf all => "all(" + string.Join(", ", all.Conditions.Select(Describe)) + ")",
            AnyOf any => "any(" + string.Join(", ", any.Conditions.Select(Describe)) + ")",
            Not not => "not(" + Describe(not.Inner) + ")",
            EventCondition e => $"{e.Key}:{e.Event} {e.Count.Comparison} {e.Count.N} {Describe(e.Window)}{Describe(e.Where)}",
            AggregateCondition a => $"{a.Key}:{a.Function}({a.Event}.{a.Of}) {Describe(a.Test)} {Describe(a.Window)}{Describe(a.Where)}",
            ProfileCondition p => $"{p.Property} {Describe(p.Test)}",
            _ => condition.ToString(),
        };

        private static string Describe(ValueTest test) =>
            $"{test.Operator}[{string.Join(",", test.Values.Select(v => v.GetRawText()))}]{(test.Days != 0 ? " " + test.Days.ToString(CultureInfo.InvariantCulture) + "d" : "")}";

        private static string Describe(TimeWindow window) =>
            window.Last is { } last ? $"last {last}" : window == TimeWindow.Ever ? "ever" : $"from {window.Since:O} to {window.Until:O}";

        private static string Describe(ImmutableArray<PropertyFilter> where) =>
            where.IsEmpty ? "" : " where " + string.Join(" and ", where.Select(f => f.Property + " " + Describe(f.Test)));
    }
}
