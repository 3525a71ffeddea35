using System.Text.Json.Nodes;
using Nudge.Core.Segments;
using Nudge.Core.Tests.Support;
using NodaTime;
using static Nudge.Core.Tests.Support.Conditions;

namespace Nudge.Core.Tests.Segments;

public sealed class ValueComparisonTests
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
    private static readonly DateTimeOffset Now = Some.Start;

    private static bool Holds(ValueTest test, object? value, DateTimeZone? zone = null) =>
        ValueComparison.Holds(test, value, zone ?? DateTimeZone.Utc, Now);

    private static bool HoldsOnJson(ValueTest test, JsonNode? value) =>
        ValueComparison.Holds(test, Some.Json(value), DateTimeZone.Utc, Now);

    // ---- text ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(ValueOperator.Equals, "berlin", true)]
    [InlineData(ValueOperator.Equals, "Berl", false)]
    [InlineData(ValueOperator.NotEquals, "BERLIN", false)]
    [InlineData(ValueOperator.NotEquals, "Hamburg", true)]
    [InlineData(ValueOperator.Contains, "ERL", true)]
    [InlineData(ValueOperator.Contains, "x", false)]
    [InlineData(ValueOperator.StartsWith, "bEr", true)]
    [InlineData(ValueOperator.StartsWith, "lin", false)]
    public void Text_compares_without_regard_to_case(ValueOperator op, string operand, bool expected) =>
        Assert.Equal(expected, Holds(Test(op, operand), "Berlin"));

    [Fact]
    public void In_holds_when_any_operand_equals_the_value()
    {
        Assert.True(Holds(Test(ValueOperator.In, "Hamburg", "BERLIN"), "Berlin"));
        Assert.False(Holds(Test(ValueOperator.In, "Hamburg", "Munich"), "Berlin"));
        Assert.True(Holds(Test(ValueOperator.NotIn, "Hamburg", "Munich"), "Berlin"));
        Assert.False(Holds(Test(ValueOperator.NotIn, "Hamburg", "berlin"), "Berlin"));
    }

    [Fact]
    public void Text_traits_compare_like_built_in_text() =>
        Assert.True(HoldsOnJson(Test(ValueOperator.Equals, "PRO"), JsonValue.Create("pro")));

    // ---- numbers ---------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(ValueOperator.Equals, 3.1, true)]
    [InlineData(ValueOperator.NotEquals, 3.1, false)]
    [InlineData(ValueOperator.GreaterThan, 3, true)]
    [InlineData(ValueOperator.GreaterThan, 3.1, false)]
    [InlineData(ValueOperator.GreaterOrEqual, 3.1, true)]
    [InlineData(ValueOperator.LessThan, 3.1, false)]
    [InlineData(ValueOperator.LessOrEqual, 3.1, true)]
    [InlineData(ValueOperator.LessThan, 10, true)]
    public void Numbers_compare_as_decimals(ValueOperator op, double operand, bool expected) =>
        Assert.Equal(expected, Holds(Test(op, (decimal)operand), 3.10m));

    [Fact]
    public void A_numeric_string_compares_as_a_number_when_the_operand_is_a_number()
    {
        Assert.True(HoldsOnJson(Test(ValueOperator.GreaterThan, 9), JsonValue.Create("42")));
        Assert.True(HoldsOnJson(Test(ValueOperator.Equals, 42), JsonValue.Create("42.0")));
        Assert.False(HoldsOnJson(Test(ValueOperator.GreaterThan, 9), JsonValue.Create("many")));
    }

    [Fact]
    public void A_number_equals_a_numeric_string_operand() =>
        Assert.True(Holds(Test(ValueOperator.Equals, "7.50"), 7.5m));

    [Fact]
    public void Between_includes_both_ends()
    {
        var test = Test(ValueOperator.Between, 10, 20);

        Assert.True(Holds(test, 10m));
        Assert.True(Holds(test, 20m));
        Assert.False(Holds(test, 20.01m));
        Assert.False(Holds(test, 9.99m));
    }

    [Fact]
    public void A_number_beyond_decimal_range_is_set_but_compares_with_nothing()
    {
        var huge = JsonNode.Parse("1e300");

        Assert.True(HoldsOnJson(Test(ValueOperator.IsSet), huge));
        Assert.False(HoldsOnJson(Test(ValueOperator.GreaterThan, 0), huge));
    }

    // ---- booleans --------------------------------------------------------------------------------------------

    [Fact]
    public void Booleans_compare_with_equals_and_not_equals()
    {
        Assert.True(HoldsOnJson(Test(ValueOperator.Equals, true), JsonValue.Create(true)));
        Assert.False(HoldsOnJson(Test(ValueOperator.Equals, false), JsonValue.Create(true)));
        Assert.True(HoldsOnJson(Test(ValueOperator.NotEquals, false), JsonValue.Create(true)));
        Assert.True(HoldsOnJson(Test(ValueOperator.Equals, "TRUE"), JsonValue.Create(true)));
    }

    // ---- arrays ----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(ValueOperator.Equals, "VIP", true)]
    [InlineData(ValueOperator.Equals, "gold", false)]
    [InlineData(ValueOperator.Contains, "letter", true)]
    [InlineData(ValueOperator.StartsWith, "news", true)]
    [InlineData(ValueOperator.NotEquals, "vip", false)]
    [InlineData(ValueOperator.NotEquals, "gold", true)]
    public void A_tag_list_holds_a_test_when_any_tag_does(ValueOperator op, string operand, bool expected) =>
        Assert.Equal(expected, HoldsOnJson(Test(op, operand), new JsonArray("vip", "newsletter")));

    [Fact]
    public void A_tag_list_is_in_a_set_when_any_tag_is()
    {
        var tags = new JsonArray("vip", "newsletter");

        Assert.True(HoldsOnJson(Test(ValueOperator.In, "gold", "VIP"), tags));
        Assert.False(HoldsOnJson(Test(ValueOperator.NotIn, "gold", "VIP"), tags));
        Assert.True(HoldsOnJson(Test(ValueOperator.NotIn, "gold", "silver"), tags));
    }

    [Fact]
    public void An_empty_list_is_set_but_equals_nothing()
    {
        Assert.True(HoldsOnJson(Test(ValueOperator.IsSet), new JsonArray()));
        Assert.False(HoldsOnJson(Test(ValueOperator.Equals, "vip"), new JsonArray()));
        Assert.True(HoldsOnJson(Test(ValueOperator.NotEquals, "vip"), new JsonArray()));
    }

    // ---- missing values --------------------------------------------------------------------------------------

    [Theory]
    [InlineData(ValueOperator.Equals, false)]
    [InlineData(ValueOperator.NotEquals, true)]
    [InlineData(ValueOperator.Contains, false)]
    [InlineData(ValueOperator.StartsWith, false)]
    [InlineData(ValueOperator.In, false)]
    [InlineData(ValueOperator.NotIn, true)]
    [InlineData(ValueOperator.GreaterThan, false)]
    [InlineData(ValueOperator.GreaterOrEqual, false)]
    [InlineData(ValueOperator.LessThan, false)]
    [InlineData(ValueOperator.LessOrEqual, false)]
    [InlineData(ValueOperator.Between, false)]
    [InlineData(ValueOperator.IsSet, false)]
    [InlineData(ValueOperator.NotSet, true)]
    [InlineData(ValueOperator.Before, false)]
    [InlineData(ValueOperator.After, false)]
    [InlineData(ValueOperator.WithinLast, false)]
    [InlineData(ValueOperator.MoreThanDaysAgo, false)]
    [InlineData(ValueOperator.AnniversaryWithin, false)]
    public void A_missing_value_is_only_not_equal_not_in_and_not_set(ValueOperator op, bool expected)
    {
        var test = op switch
        {
            ValueOperator.Between => Test(op, 1, 2),
            ValueOperator.IsSet or ValueOperator.NotSet => Test(op),
            ValueOperator.WithinLast or ValueOperator.MoreThanDaysAgo or ValueOperator.AnniversaryWithin => Days(op, 30),
            ValueOperator.Before or ValueOperator.After => Test(op, "2026-01-01"),
            _ => Test(op, "x"),
        };

        Assert.Equal(expected, Holds(test, null));
        Assert.Equal(expected, HoldsOnJson(test, null));
    }

    // ---- dates -----------------------------------------------------------------------------------------------

    [Fact]
    public void Before_and_after_compare_instants_with_an_iso_operand()
    {
        var value = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.True(Holds(Test(ValueOperator.Before, "2026-03-01T14:00:00+01:00"), value));
        Assert.False(Holds(Test(ValueOperator.Before, "2026-03-01T13:00:00+01:00"), value));
        Assert.True(Holds(Test(ValueOperator.After, "2026-03-01T11:59:59Z"), value));
        Assert.False(Holds(Test(ValueOperator.After, "2026-03-01T12:00:00Z"), value));
    }

    [Fact]
    public void A_date_only_operand_is_midnight_in_the_profile_time_zone()
    {
        // 23:30 UTC on 1 March is already 00:30 on 2 March in Berlin.
        var value = new DateTimeOffset(2026, 3, 1, 23, 30, 0, TimeSpan.Zero);
        var test = Test(ValueOperator.After, "2026-03-02");

        Assert.True(Holds(test, value, Berlin));
        Assert.False(Holds(test, value, DateTimeZone.Utc));
    }

    [Fact]
    public void A_date_only_value_is_midnight_in_the_profile_time_zone()
    {
        var test = Test(ValueOperator.Before, "2026-03-01T23:30:00Z");

        Assert.True(Holds(test, "2026-03-02", Berlin));
        Assert.False(Holds(test, "2026-03-02", DateTimeZone.Utc));
    }

    [Fact]
    public void A_date_and_time_without_an_offset_is_read_in_the_profile_time_zone()
    {
        var test = Test(ValueOperator.After, "2026-03-01T11:30:00Z");

        Assert.False(Holds(test, "2026-03-01T12:00:00", Berlin));
        Assert.True(Holds(test, "2026-03-01T12:00:00", DateTimeZone.Utc));
    }

    [Fact]
    public void Equals_on_an_instant_with_a_date_only_operand_means_on_that_local_day()
    {
        var lateEvening = new DateTimeOffset(2026, 3, 1, 23, 30, 0, TimeSpan.Zero);

        Assert.True(Holds(Test(ValueOperator.Equals, "2026-03-02"), lateEvening, Berlin));
        Assert.True(Holds(Test(ValueOperator.Equals, "2026-03-01"), lateEvening, DateTimeZone.Utc));
        Assert.True(Holds(Test(ValueOperator.Equals, "2026-03-02T00:30:00+01:00"), lateEvening, DateTimeZone.Utc));
    }

    [Fact]
    public void Greater_and_less_compare_dates_when_the_operand_is_a_date()
    {
        var value = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.True(Holds(Test(ValueOperator.GreaterThan, "2026-01-01"), value));
        Assert.True(Holds(Test(ValueOperator.Between, "2026-02-01", "2026-03-02"), value));
        Assert.True(HoldsOnJson(Test(ValueOperator.LessThan, "2026-03-02"), JsonValue.Create("2026-03-01T12:00:00Z")));
    }

    [Fact]
    public void Only_iso_8601_text_is_read_as_a_date()
    {
        Assert.False(Holds(Test(ValueOperator.After, "2020-01-01"), "3/4/2026"));
        Assert.False(Holds(Test(ValueOperator.After, "2020-01-01"), "2026-13-45"));
        Assert.True(Holds(Test(ValueOperator.After, "2020-01-01"), "2026-03-04"));
    }

    [Fact]
    public void An_unknown_or_missing_time_zone_is_utc()
    {
        Assert.Same(DateTimeZone.Utc, ValueComparison.ZoneOf("Mars/Olympus_Mons"));
        Assert.Same(DateTimeZone.Utc, ValueComparison.ZoneOf(null));
        Assert.Equal("Europe/Berlin", ValueComparison.ZoneOf("Europe/Berlin").Id);
    }
}
