using System.Text.Json.Nodes;
using Nudge.Core.Ingestion;
using Nudge.Core.Segments;
using Nudge.Core.Tests.Support;
using static Nudge.Core.Tests.Support.Conditions;

namespace Nudge.Core.Tests.Segments;

public sealed class AggregateConditionTests
{
    private static readonly DateTimeOffset T = Some.Start;
    private static readonly TimeWindow LastYear = Last(TimeSpan.FromDays(365));

    private static LoggedEvent Order(DateTimeOffset at, object? revenue) =>
        Some.Track("Order Completed", new JsonObject { ["order_id"] = "ord_" + at.Ticks, ["revenue"] = JsonValue.Create(revenue) }).At(at);

    private static Verdict Evaluate(Condition condition, InMemorySegmentFacts facts, DateTimeOffset now) =>
        SegmentEvaluator.Evaluate(condition, facts, now);

    [Fact]
    public void Revenue_in_the_last_year_above_500_is_rechecked_when_the_oldest_order_leaves()
    {
        var condition = Aggregate("Order Completed", AggregateFunction.Sum, "revenue", Test(ValueOperator.GreaterThan, 500), LastYear);
        var facts = new InMemorySegmentFacts().Saw(condition, Order(T, 300m), Order(T.AddDays(10), 250m));

        Assert.Equal(new Verdict(true, T.AddDays(365)), Evaluate(condition, facts, T.AddDays(10)));
        Assert.Equal(new Verdict(false, T.AddDays(375)), Evaluate(condition, facts, T.AddDays(365)));
        Assert.Equal(Verdict.Always(false), Evaluate(condition, facts, T.AddDays(375)));
    }

    [Fact]
    public void The_sum_of_nothing_is_zero()
    {
        var condition = Aggregate("Order Completed", AggregateFunction.Sum, "revenue", Test(ValueOperator.Equals, 0), LastYear);

        Assert.Equal(Verdict.Always(true), Evaluate(condition, new InMemorySegmentFacts(), T));
    }

    [Fact]
    public void The_average_of_nothing_is_not_set()
    {
        var facts = new InMemorySegmentFacts();

        Assert.False(Evaluate(Aggregate("Order Completed", AggregateFunction.Average, "revenue", Test(ValueOperator.GreaterOrEqual, 0)), facts, T).IsMember);
        Assert.False(Evaluate(Aggregate("Order Completed", AggregateFunction.Average, "revenue", Test(ValueOperator.Equals, 0)), facts, T).IsMember);
        Assert.True(Evaluate(Aggregate("Order Completed", AggregateFunction.Average, "revenue", Test(ValueOperator.NotEquals, 0)), facts, T).IsMember);
        Assert.True(Evaluate(Aggregate("Order Completed", AggregateFunction.Average, "revenue", Test(ValueOperator.NotSet)), facts, T).IsMember);
    }

    [Fact]
    public void The_average_counts_only_events_with_a_numeric_value()
    {
        var condition = Aggregate("Order Completed", AggregateFunction.Average, "revenue", Test(ValueOperator.Equals, 150));
        var facts = new InMemorySegmentFacts().Saw(condition, Order(T, 100m), Order(T.AddDays(1), "200.00"), Order(T.AddDays(2), "n/a"), Order(T.AddDays(3), null));

        Assert.Equal(Verdict.Always(true), Evaluate(condition, facts, T.AddDays(4)));
        Assert.Equal(2, facts.TallyFor(condition.Key).Count);
    }

    [Fact]
    public void A_count_aggregate_counts_events_with_or_without_a_value()
    {
        var condition = Aggregate("Order Completed", AggregateFunction.Count, null, Test(ValueOperator.Between, 2, 3), Between(T));
        var facts = new InMemorySegmentFacts().Saw(condition, Order(T, 100m), Order(T.AddDays(1), null));

        Assert.Equal(Verdict.Always(true), Evaluate(condition, facts, T.AddDays(2)));
    }

    [Fact]
    public void The_value_through_an_array_adds_up_its_elements()
    {
        var condition = Aggregate("Order Completed", AggregateFunction.Sum, "products.quantity", Test(ValueOperator.Equals, 5));
        var order = Some.Track("Order Completed", new JsonObject
        {
            ["products"] = new JsonArray(new JsonObject { ["quantity"] = 2 }, new JsonObject { ["quantity"] = "3" }, new JsonObject()),
        }).At(T).ToLoggedEvent();

        Assert.True(EventMatching.TryRead(condition, order, out var value));
        Assert.Equal(5m, value);
    }

    [Fact]
    public void An_aggregate_with_filters_adds_only_the_matching_events()
    {
        var condition = Aggregate(
            "Order Completed", AggregateFunction.Sum, "revenue", Test(ValueOperator.Equals, 80), where: Where("currency", ValueOperator.Equals, "eur"));
        var facts = new InMemorySegmentFacts().Saw(
            condition, Some.OrderCompleted("o1", 80m, "EUR").At(T), Some.OrderCompleted("o2", 120m, "USD").At(T));

        Assert.Equal(Verdict.Always(true), Evaluate(condition, facts, T));
    }

    [Fact]
    public void A_value_beyond_the_decimal_range_is_not_counted()
    {
        var condition = Aggregate("Order Completed", AggregateFunction.Sum, "revenue", Test(ValueOperator.GreaterThan, 0));
        var order = Some.Track("Order Completed", new JsonObject { ["revenue"] = JsonNode.Parse("1e40") }).At(T).ToLoggedEvent();

        Assert.False(EventMatching.TryRead(condition, order, out _));
    }

    [Fact]
    public void Sums_that_overflow_stay_at_the_bound_instead_of_failing()
    {
        var condition = Aggregate("Order Completed", AggregateFunction.Sum, "revenue", Test(ValueOperator.GreaterThan, 0), LastYear);
        var facts = new InMemorySegmentFacts().Saw(condition, Order(T, decimal.MaxValue), Order(T.AddSeconds(1), decimal.MaxValue));

        Assert.True(Evaluate(condition, facts, T.AddSeconds(1)).IsMember);
    }

    [Fact]
    public void A_non_track_event_never_counts_for_an_aggregate() =>
        Assert.False(EventMatching.TryRead(
            Aggregate("Order Completed", AggregateFunction.Count, null, Test(ValueOperator.GreaterThan, 0)),
            Some.Event(MessageType.Page, "Order Completed").ToLoggedEvent(),
            out _));
}
