using System.Text.Json.Nodes;
using Nudge.Core.Ingestion;
using Nudge.Core.Segments;
using Nudge.Core.Tests.Support;
using static Nudge.Core.Tests.Support.Conditions;

namespace Nudge.Core.Tests.Segments;

public sealed class EventConditionTests
{
    private static readonly DateTimeOffset T = Some.Start;
    private static readonly TimeWindow Last30Days = Last(TimeSpan.FromDays(30));
    private static readonly TimeWindow LastDay = Last(TimeSpan.FromDays(1));

    private static LoggedEvent Viewed(DateTimeOffset at, string category = "shirts") =>
        Some.Track("Product Viewed", new JsonObject { ["product_id"] = "sku_1", ["category"] = category }).At(at);

    private static LoggedEvent Ordered(DateTimeOffset at, params string[] categories) =>
        Some.Track("Order Completed", new JsonObject
        {
            ["order_id"] = "ord_" + at.ToUnixTimeSeconds(),
            ["products"] = new JsonArray([.. categories.Select(c => new JsonObject { ["category"] = c })]),
        }).At(at);

    private static Verdict Evaluate(Condition condition, InMemorySegmentFacts facts, DateTimeOffset now) =>
        SegmentEvaluator.Evaluate(condition, facts, now);

    // ---- rolling windows -------------------------------------------------------------------------------------

    [Fact]
    public void Viewed_in_the_last_30_days_stops_being_true_exactly_30_days_after_the_view()
    {
        var condition = Did("Product Viewed", window: Last30Days);
        var facts = new InMemorySegmentFacts().Saw(condition, Viewed(T));
        var expiry = T.AddDays(30);

        Assert.Equal(new Verdict(true, expiry), Evaluate(condition, facts, T));
        Assert.Equal(new Verdict(true, expiry), Evaluate(condition, facts, expiry.AddMilliseconds(-1)));
        Assert.Equal(Verdict.Always(false), Evaluate(condition, facts, expiry));
    }

    [Fact]
    public void At_least_3_views_in_a_day_hold_until_the_third_newest_view_leaves()
    {
        var condition = Did("Product Viewed", CountComparison.AtLeast, 3, LastDay);
        var facts = new InMemorySegmentFacts().Saw(condition, Viewed(T), Viewed(T.AddHours(1)));

        Assert.Equal(Verdict.Always(false), Evaluate(condition, facts, T.AddHours(1)));

        facts.Saw(condition, Viewed(T.AddHours(2)));
        Assert.Equal(new Verdict(true, T.AddDays(1)), Evaluate(condition, facts, T.AddHours(2)));

        facts.Saw(condition, Viewed(T.AddHours(3)));
        Assert.Equal(new Verdict(true, T.AddHours(1).AddDays(1)), Evaluate(condition, facts, T.AddHours(3)));
        Assert.Equal(new Verdict(true, T.AddHours(1).AddDays(1)), Evaluate(condition, facts, T.AddDays(1)));
        Assert.Equal(Verdict.Always(false), Evaluate(condition, facts, T.AddHours(1).AddDays(1)));
    }

    [Fact]
    public void Did_not_order_in_the_last_7_days_becomes_true_as_time_passes()
    {
        var condition = DidNot("Order Completed", Last(TimeSpan.FromDays(7)));
        var facts = new InMemorySegmentFacts();

        Assert.Equal(Verdict.Always(true), Evaluate(condition, facts, T));

        facts.Saw(condition, Ordered(T, "shoes"));
        Assert.Equal(new Verdict(false, T.AddDays(7)), Evaluate(condition, facts, T.AddDays(1)));
        Assert.False(Evaluate(condition, facts, T.AddDays(7).AddMilliseconds(-1)).IsMember);
        Assert.Equal(Verdict.Always(true), Evaluate(condition, facts, T.AddDays(7)));
    }

    [Fact]
    public void At_most_2_views_become_true_when_the_third_newest_view_leaves()
    {
        var condition = Did("Product Viewed", CountComparison.AtMost, 2, LastDay);
        var facts = new InMemorySegmentFacts().Saw(condition, Viewed(T), Viewed(T.AddHours(1)));

        Assert.Equal(Verdict.Always(true), Evaluate(condition, facts, T.AddHours(1)));

        facts.Saw(condition, Viewed(T.AddHours(2)), Viewed(T.AddHours(3)));
        Assert.Equal(new Verdict(false, T.AddHours(1).AddDays(1)), Evaluate(condition, facts, T.AddHours(3)));
        Assert.Equal(Verdict.Always(true), Evaluate(condition, facts, T.AddHours(1).AddDays(1)));
    }

    [Fact]
    public void Exactly_2_views_wait_for_extra_views_to_leave_and_end_when_one_of_the_two_leaves()
    {
        var condition = Did("Product Viewed", CountComparison.Exactly, 2, LastDay);
        var facts = new InMemorySegmentFacts().Saw(condition, Viewed(T), Viewed(T.AddHours(1)), Viewed(T.AddHours(2)));

        Assert.Equal(new Verdict(false, T.AddDays(1)), Evaluate(condition, facts, T.AddHours(2)));
        Assert.Equal(new Verdict(true, T.AddHours(1).AddDays(1)), Evaluate(condition, facts, T.AddDays(1)));
        Assert.Equal(Verdict.Always(false), Evaluate(condition, facts, T.AddHours(2).AddDays(1)));
    }

    [Fact]
    public void Fewer_views_than_exactly_asked_for_can_only_change_with_new_views()
    {
        var condition = Did("Product Viewed", CountComparison.Exactly, 2, LastDay);
        var facts = new InMemorySegmentFacts().Saw(condition, Viewed(T));

        Assert.Equal(Verdict.Always(false), Evaluate(condition, facts, T));
    }

    [Fact]
    public void Exactly_1_of_2_views_at_the_same_instant_never_holds_as_time_passes()
    {
        var condition = Did("Product Viewed", CountComparison.Exactly, 1, LastDay);
        var facts = new InMemorySegmentFacts().Saw(condition, Viewed(T), Viewed(T));

        Assert.Equal(Verdict.Always(false), Evaluate(condition, facts, T));
    }

    [Fact]
    public void A_view_logged_after_it_left_the_window_is_not_counted()
    {
        var condition = Did("Product Viewed", window: LastDay);
        var facts = new InMemorySegmentFacts().Saw(condition, T.AddDays(2), Viewed(T));

        Assert.True(facts.TallyFor(condition.Key).IsEmpty);
        Assert.Equal(Verdict.Always(false), Evaluate(condition, facts, T.AddDays(2)));
    }

    [Fact]
    public void A_late_view_still_in_the_window_counts_until_its_own_expiry()
    {
        var condition = Did("Product Viewed", window: LastDay);
        var facts = new InMemorySegmentFacts().Saw(condition, T.AddHours(20), Viewed(T));

        Assert.Equal(new Verdict(true, T.AddDays(1)), Evaluate(condition, facts, T.AddHours(20)));
    }

    // ---- fixed windows and ever ------------------------------------------------------------------------------

    [Fact]
    public void A_fixed_window_counts_the_events_from_its_start_up_to_but_not_including_its_end()
    {
        var condition = Did("Product Viewed", CountComparison.AtLeast, 2, Between(T, T.AddDays(7)));
        var facts = new InMemorySegmentFacts().Saw(
            condition, Viewed(T.AddSeconds(-1)), Viewed(T), Viewed(T.AddDays(7)));

        Assert.Equal(Verdict.Always(false), Evaluate(condition, facts, T.AddDays(8)));

        facts.Saw(condition, Viewed(T.AddDays(7).AddTicks(-1)));
        Assert.Equal(Verdict.Always(true), Evaluate(condition, facts, T.AddDays(8)));
        Assert.Equal(Verdict.Always(true), Evaluate(condition, facts, T.AddYears(5)));
    }

    [Fact]
    public void A_window_since_a_date_counts_every_later_event()
    {
        var condition = Did("Product Viewed", window: Between(T));
        var facts = new InMemorySegmentFacts().Saw(condition, Viewed(T.AddDays(-1)));

        Assert.Equal(Verdict.Always(false), Evaluate(condition, facts, T));
        facts.Saw(condition, Viewed(T.AddYears(1)));
        Assert.Equal(Verdict.Always(true), Evaluate(condition, facts, T.AddYears(1)));
    }

    [Fact]
    public void Ever_counts_every_event_and_never_expires()
    {
        var condition = Did("Order Completed", CountComparison.AtLeast, 2);
        var facts = new InMemorySegmentFacts().Saw(condition, Ordered(T.AddYears(-10)), Ordered(T));

        Assert.Equal(Verdict.Always(true), Evaluate(condition, facts, T.AddYears(10)));
    }

    [Fact]
    public void A_person_who_never_did_anything_did_not_do_it()
    {
        Assert.Equal(Verdict.Always(true), Evaluate(DidNot("Order Completed"), new InMemorySegmentFacts(), T));
        Assert.Equal(Verdict.Always(false), Evaluate(Did("Order Completed"), new InMemorySegmentFacts(), T));
    }

    // ---- which events count ----------------------------------------------------------------------------------

    [Fact]
    public void Only_track_events_with_exactly_the_name_count()
    {
        var condition = Did("Product Viewed");
        var page = Some.Page("Product Viewed").ToLoggedEvent();
        var otherCase = Some.Track("product viewed").ToLoggedEvent();

        Assert.False(EventMatching.TryRead(condition, page, out _));
        Assert.False(EventMatching.TryRead(condition, otherCase, out _));
        Assert.True(EventMatching.TryRead(condition, Viewed(T), out var value));
        Assert.Equal(1m, value);
    }

    [Fact]
    public void Where_filters_must_all_hold_on_the_event_properties()
    {
        var condition = Did(
            "Product Viewed",
            where: [Where("category", ValueOperator.Equals, "SHOES"), Where("product_id", ValueOperator.StartsWith, "sku")]);

        Assert.True(EventMatching.TryRead(condition, Viewed(T, "shoes"), out _));
        Assert.False(EventMatching.TryRead(condition, Viewed(T, "shirts"), out _));
    }

    [Fact]
    public void A_filter_through_an_array_holds_when_any_element_matches()
    {
        var condition = Did("Order Completed", where: Where("products.category", ValueOperator.Equals, "shoes"));

        Assert.True(EventMatching.TryRead(condition, Ordered(T, "shirts", "shoes"), out _));
        Assert.False(EventMatching.TryRead(condition, Ordered(T, "shirts", "socks"), out _));
        Assert.False(EventMatching.TryRead(condition, Ordered(T), out _));
    }

    [Fact]
    public void A_negative_filter_through_an_array_holds_when_no_element_matches()
    {
        var condition = Did("Order Completed", where: Where("products.category", ValueOperator.NotEquals, "shoes"));

        Assert.False(EventMatching.TryRead(condition, Ordered(T, "shirts", "shoes"), out _));
        Assert.True(EventMatching.TryRead(condition, Ordered(T, "shirts", "socks"), out _));
        Assert.True(EventMatching.TryRead(condition, Ordered(T), out _));
    }

    [Fact]
    public void A_filter_on_a_missing_property_is_only_not_equal_and_not_set()
    {
        var viewed = Some.Track("Product Viewed").ToLoggedEvent();

        Assert.True(EventMatching.TryRead(Did("Product Viewed", where: Where("category", ValueOperator.NotSet)), viewed, out _));
        Assert.True(EventMatching.TryRead(Did("Product Viewed", where: Where("category", ValueOperator.NotEquals, "x")), viewed, out _));
        Assert.False(EventMatching.TryRead(Did("Product Viewed", where: Where("category", ValueOperator.Equals, "x")), viewed, out _));
    }

    [Fact]
    public void An_event_without_properties_matches_a_condition_without_filters()
    {
        var bare = Some.Event(MessageType.Track, "Signed Up", new JsonObject { ["event"] = "Signed Up" }).ToLoggedEvent();

        Assert.True(EventMatching.TryRead(Did("Signed Up"), bare, out _));
        Assert.False(EventMatching.TryRead(Did("Signed Up", where: Where("plan", ValueOperator.IsSet)), bare, out _));
    }

    [Fact]
    public void Day_based_filters_count_from_the_event_time_so_the_answer_never_changes()
    {
        var condition = Did("Order Completed", where: Where("signed_up_at", Days(ValueOperator.WithinLast, 7)));
        var order = Some.Track("Order Completed", new JsonObject { ["signed_up_at"] = Some.Iso(T.AddDays(-3)) }).At(T).ToLoggedEvent();
        var laterOrder = Some.Track("Order Completed", new JsonObject { ["signed_up_at"] = Some.Iso(T.AddDays(-3)) }).At(T.AddDays(5)).ToLoggedEvent();

        Assert.True(EventMatching.TryRead(condition, order, out _));
        Assert.False(EventMatching.TryRead(condition, laterOrder, out _));
    }

    [Fact]
    public void A_filtered_condition_counts_only_the_matching_events()
    {
        var condition = Did("Product Viewed", CountComparison.AtLeast, 2, Last30Days, Where("category", ValueOperator.Equals, "shoes"));
        var facts = new InMemorySegmentFacts().Saw(condition, Viewed(T, "shoes"), Viewed(T.AddHours(1), "shirts"), Viewed(T.AddHours(2), "shoes"));

        Assert.Equal(new Verdict(true, T.AddDays(30)), Evaluate(condition, facts, T.AddHours(2)));
        Assert.Equal(2, facts.TallyFor(condition.Key).Recent.Length);
    }
}
