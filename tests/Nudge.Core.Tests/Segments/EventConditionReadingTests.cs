using Nudge.Core.Segments;
using static Nudge.Core.Tests.Segments.Definitions;

namespace Nudge.Core.Tests.Segments;

/// <summary>Event conditions: names, where filters, counts, windows and aggregates.</summary>
public sealed class EventConditionReadingTests
{
    private static readonly DateTimeOffset NewYear = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static EventCondition Event(string rest) =>
        Valid<EventCondition>($$"""{ "event": "Order Completed"{{rest}} }""");

    private static TimeWindow Window(string window) => Event($$""", "window": {{window}}""").Window;

    private static AggregateCondition Aggregate(string rest) =>
        Valid<AggregateCondition>($$"""{ "event": "Order Completed"{{rest}} }""");

    // ---- the event -----------------------------------------------------------------------------------

    [Fact]
    public void An_event_alone_means_did_it_at_least_once_ever()
    {
        var condition = Event("");

        Assert.Equal("Order Completed", condition.Event);
        Assert.Empty(condition.Where);
        Assert.Equal(CountRule.AtLeastOnce, condition.Count);
        Assert.Equal(TimeWindow.Ever, condition.Window);
    }

    [Fact]
    public void An_empty_event_name_is_refused() =>
        SingleError("""{ "event": " " }""").Names("condition.event", "must be an event name");

    [Fact]
    public void An_event_name_longer_than_200_characters_is_refused() =>
        SingleError($$"""{ "event": "{{new string('x', 201)}}" }""").Names("condition.event", "at most 200 characters");

    [Fact]
    public void An_unknown_key_of_an_event_condition_is_refused() =>
        SingleError("""{ "event": "Order Completed", "windw": { "last": 7, "unit": "days" } }""")
            .Names("condition.windw", "unknown key 'windw': an event condition takes event, where, count, window and aggregate");

    [Fact]
    public void An_operator_without_an_aggregate_is_refused_pointing_to_aggregate()
    {
        var errors = ReadCondition("""{ "event": "Order Completed", "operator": "greaterThan", "value": 2 }""").Errors;

        Assert.Equal(["condition.operator", "condition.value"], errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.Contains("belongs to an aggregate", e.Message, StringComparison.Ordinal));
    }

    // ---- where ---------------------------------------------------------------------------------------

    [Fact]
    public void Where_filters_read_into_property_filters()
    {
        var filter = Assert.Single(Event("""
            , "where": [ { "property": "category", "operator": "equals", "value": "shoes" } ]
            """).Where);

        Assert.Equal("category", filter.Property);
        Assert.Equal(ValueOperator.Equals, filter.Test.Operator);
        Assert.Equal("shoes", Assert.Single(filter.Test.Values).GetString());
    }

    [Fact]
    public void Where_filters_take_dotted_paths_and_every_operator() =>
        Assert.Equal(
            ["product.price", "coupon", "placedAt"],
            Event("""
                , "where": [
                  { "property": "product.price", "operator": "between", "value": [10, 20] },
                  { "property": "coupon", "operator": "isSet" },
                  { "property": "placedAt", "operator": "withinLast", "days": 3 } ]
                """).Where.Select(f => f.Property));

    [Theory]
    [InlineData("""{ "property": "", "operator": "isSet" }""", "condition.where[0].property", "must be an event property")]
    [InlineData("""{ "property": "a..b", "operator": "isSet" }""", "condition.where[0].property", "must be an event property")]
    [InlineData("""{ "operator": "isSet" }""", "condition.where[0].property", "is required")]
    [InlineData("""{ "property": "category", "operator": "equals" }""", "condition.where[0].value", "is required for 'equals'")]
    [InlineData("""{ "property": "category", "operator": "equal", "value": "a" }""", "condition.where[0].operator", "unknown operator 'equal'")]
    [InlineData("""{ "property": "category", "operator": "isSet", "event": "x" }""", "condition.where[0].event", "unknown key 'event'")]
    [InlineData("\"category\"", "condition.where[0]", "must be an object")]
    public void A_wrong_where_filter_is_refused_by_its_path(string filter, string field, string message) =>
        SingleError($$"""{ "event": "Product Viewed", "where": [ {{filter}} ] }""").Names(field, message);

    [Fact]
    public void Where_must_be_an_array() =>
        SingleError("""{ "event": "Product Viewed", "where": { "property": "a", "operator": "isSet" } }""")
            .Names("condition.where", "must be an array");

    // ---- count ---------------------------------------------------------------------------------------

    [Theory]
    [InlineData("atLeast", 2, CountComparison.AtLeast)]
    [InlineData("atMost", 3, CountComparison.AtMost)]
    [InlineData("exactly", 0, CountComparison.Exactly)]
    public void A_count_reads_its_comparison_and_number(string key, int n, CountComparison expected) =>
        Assert.Equal(new CountRule(expected, n), Event($$""", "count": { "{{key}}": {{n}} }""").Count);

    [Theory]
    [InlineData("""{ }""", "condition.count", "needs one of atLeast, atMost or exactly")]
    [InlineData("""{ "atLeast": 1, "atMost": 3 }""", "condition.count", "has atLeast and atMost: give only one")]
    [InlineData("""{ "atLeast": -1 }""", "condition.count.atLeast", "whole number from 0 to 1,000,000")]
    [InlineData("""{ "exactly": 1000001 }""", "condition.count.exactly", "whole number from 0 to 1,000,000")]
    [InlineData("""{ "atMost": 2.5 }""", "condition.count.atMost", "whole number")]
    [InlineData("2", "condition.count", "must be an object")]
    public void A_wrong_count_is_refused_by_its_path(string count, string field, string message) =>
        SingleError($$"""{ "event": "Order Completed", "count": {{count}} }""").Names(field, message);

    [Fact]
    public void An_unknown_key_of_a_count_is_refused() =>
        Assert.Equal(
            ["condition.count.atleast", "condition.count"],
            ReadCondition("""{ "event": "Order Completed", "count": { "atleast": 2 } }""").Errors.Select(e => e.Field));

    // ---- windows -------------------------------------------------------------------------------------

    [Theory]
    [InlineData(90, "minutes")]
    [InlineData(36, "hours")]
    [InlineData(30, "days")]
    public void A_rolling_window_reads_its_length(int last, string unit) =>
        Assert.Equal(
            unit switch { "minutes" => TimeSpan.FromMinutes(last), "hours" => TimeSpan.FromHours(last), _ => TimeSpan.FromDays(last) },
            Window($$"""{ "last": {{last}}, "unit": "{{unit}}" }""").Last);

    [Fact]
    public void A_rolling_window_may_be_730_days_long() =>
        Assert.Equal(TimeWindow.LongestRolling, Window("""{ "last": 730, "unit": "days" }""").Last);

    [Theory]
    [InlineData(731, "days")]
    [InlineData(17521, "hours")]
    [InlineData(9_000_000_000_000_000_000, "minutes")]
    public void A_rolling_window_longer_than_730_days_is_refused(long last, string unit) =>
        SingleError($$"""{ "event": "Order Completed", "window": { "last": {{last}}, "unit": "{{unit}}" } }""").Names(
            "condition.window.last",
            "window too large: at most 730 days; use since/from-to or leave the window out for the whole history");

    [Fact]
    public void A_since_window_reads_its_start() =>
        Assert.Equal(new TimeWindow(Since: NewYear), Window("""{ "since": "2026-01-01T00:00:00Z" }"""));

    [Fact]
    public void A_plain_date_means_midnight_utc() =>
        Assert.Equal(NewYear, Window("""{ "since": "2026-01-01" }""").Since);

    [Fact]
    public void A_date_time_with_an_offset_is_the_moment_it_names() =>
        Assert.Equal(NewYear, Window("""{ "since": "2026-01-01T01:00:00+01:00" }""").Since);

    [Fact]
    public void A_date_time_may_have_fractions_of_a_second() =>
        Assert.Equal(NewYear.AddMilliseconds(250), Window("""{ "since": "2026-01-01T00:00:00.25Z" }""").Since);

    [Theory]
    [InlineData("2026-01-01T00:00:00")]
    [InlineData("2026-01-01T00:00Z")]
    [InlineData("2026-01-01 00:00:00Z")]
    [InlineData("01/02/2026")]
    [InlineData("2026-13-01")]
    public void Dates_other_than_a_plain_date_or_an_rfc_3339_date_time_are_refused(string date) =>
        SingleError($$"""{ "event": "Order Completed", "window": { "since": "{{date}}" } }""")
            .Names("condition.window.since", "must be a date");

    [Fact]
    public void A_from_to_window_reads_both_dates() =>
        Assert.Equal(
            new TimeWindow(Since: NewYear, Until: NewYear.AddMonths(1)),
            Window("""{ "from": "2026-01-01", "to": "2026-02-01" }"""));

    [Theory]
    [InlineData("""{ "last": 0, "unit": "days" }""", "condition.window.last", "must be at least 1")]
    [InlineData("""{ "last": 1.5, "unit": "days" }""", "condition.window.last", "must be a whole number")]
    [InlineData("""{ "last": 7 }""", "condition.window.unit", "is required: minutes, hours or days")]
    [InlineData("""{ "unit": "days" }""", "condition.window.last", "is required with unit")]
    [InlineData("""{ "last": 7, "unit": "weeks" }""", "condition.window.unit", "unknown unit 'weeks': expected minutes, hours or days")]
    [InlineData("""{ "since": "last monday" }""", "condition.window.since", "must be a date")]
    [InlineData("""{ "from": "2026-01-01" }""", "condition.window.to", "is required with from")]
    [InlineData("""{ "to": "2026-01-01" }""", "condition.window.from", "is required with to")]
    [InlineData("""{ "from": "2026-02-01", "to": "2026-01-01" }""", "condition.window.to", "must be after from")]
    [InlineData("""{ "from": "2026-01-01", "to": "2026-01-01" }""", "condition.window.to", "must be after from")]
    [InlineData("""{ "last": 7, "unit": "days", "since": "2026-01-01" }""", "condition.window", "mixes last, unit, since")]
    [InlineData("""{ }""", "condition.window", "is empty")]
    [InlineData("\"30d\"", "condition.window", "must be an object")]
    public void A_wrong_window_is_refused_by_its_path(string window, string field, string message) =>
        SingleError($$"""{ "event": "Order Completed", "window": {{window}} }""").Names(field, message);

    [Fact]
    public void The_path_of_a_window_error_goes_through_the_groups() =>
        SingleError("""{ "and": [ { "list": "a" }, { "or": [ { "event": "Order Completed", "window": { "last": 0, "unit": "days" } } ] } ] }""")
            .Names("condition.and[1].or[0].window.last", "must be at least 1");

    // ---- aggregates ----------------------------------------------------------------------------------

    [Fact]
    public void An_average_reads_its_property_and_range()
    {
        var condition = Aggregate("""
            , "aggregate": "average", "of": "order.total", "operator": "between", "value": [50, 80.5]
            """);

        Assert.Equal(AggregateFunction.Average, condition.Function);
        Assert.Equal("order.total", condition.Of);
        Assert.Equal([50m, 80.5m], condition.Test.Values.Select(v => v.GetDecimal()));
        Assert.Equal(TimeWindow.Ever, condition.Window);
    }

    [Fact]
    public void A_count_aggregate_needs_no_property()
    {
        var condition = Aggregate("""
            , "where": [ { "property": "channel", "operator": "equals", "value": "web" } ],
              "aggregate": "count", "operator": "greaterOrEqual", "value": 5
            """);

        Assert.Equal(AggregateFunction.Count, condition.Function);
        Assert.Null(condition.Of);
        Assert.Single(condition.Where);
    }

    [Theory]
    [InlineData("""
        , "aggregate": "sum", "operator": "greaterThan", "value": 1
        """, "condition.of", "is required for sum")]
    [InlineData("""
        , "aggregate": "count", "of": "revenue", "operator": "greaterThan", "value": 1
        """, "condition.of", "is not used by count")]
    [InlineData("""
        , "aggregate": "median", "of": "revenue", "operator": "greaterThan", "value": 1
        """, "condition.aggregate", "unknown value 'median': expected sum, average or count")]
    [InlineData("""
        , "aggregate": "sum", "of": "revenue", "operator": "in", "value": [1]
        """, "condition.operator", "unknown operator 'in': expected equals, notEquals, greaterThan, greaterOrEqual, lessThan, lessOrEqual or between")]
    [InlineData("""
        , "aggregate": "sum", "of": "revenue", "operator": "greaterThan", "value": "500"
        """, "condition.value", "must be a number")]
    [InlineData("""
        , "aggregate": "sum", "of": "revenue", "operator": "between", "value": [500, 100]
        """, "condition.value", "low is greater than high")]
    [InlineData("""
        , "aggregate": "sum", "of": "revenue", "value": 1
        """, "condition.operator", "is required")]
    [InlineData("""
        , "aggregate": "sum", "of": "revenue", "operator": "greaterThan", "value": 1, "count": { "atLeast": 1 }
        """, "condition.count", "count does not go with aggregate")]
    [InlineData("""
        , "aggregate": "sum", "of": "revenue", "operator": "greaterThan", "value": 1, "days": 3
        """, "condition.days", "unknown key 'days': an aggregate condition takes")]
    public void A_wrong_aggregate_is_refused_by_its_path(string rest, string field, string message) =>
        SingleError($$"""{ "event": "Order Completed"{{rest}} }""").Names(field, message);
}
