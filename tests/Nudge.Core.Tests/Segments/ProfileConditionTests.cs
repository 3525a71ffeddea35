using System.Text.Json.Nodes;
using Nudge.Core.Profiles;
using Nudge.Core.Segments;
using Nudge.Core.Tests.Support;
using static Nudge.Core.Tests.Support.Conditions;

namespace Nudge.Core.Tests.Segments;

public sealed class ProfileConditionTests
{
    private static readonly DateTimeOffset T = Some.Start;

    private static Profile Ordered(DateTimeOffset lastOrder) =>
        Some.Profile() with { Computed = new ComputedTraits { OrderCount = 1, LastOrderDate = lastOrder } };

    private static Profile Born(string birthday, string? timeZone) =>
        Some.Profile() with { TimeZone = timeZone, Traits = Some.Profile().Traits.Add("birthday", Some.Json(JsonValue.Create(birthday))) };

    private static Verdict Evaluate(Condition condition, Profile profile, DateTimeOffset now) =>
        SegmentEvaluator.Evaluate(condition, new InMemorySegmentFacts(profile), now);

    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void A_profile_condition_reads_built_in_and_trait_properties()
    {
        var profile = Some.Profile() with
        {
            Traits = Some.Profile().Traits.Add("plan", Some.Json(JsonValue.Create("pro"))),
            Location = new Location("DE", null, "Berlin", null, null),
            Computed = new ComputedTraits { OrderCount = 4, TotalRevenue = 420m },
        };

        Assert.True(Evaluate(Property("traits.plan", ValueOperator.Equals, "Pro"), profile, T).IsMember);
        Assert.True(Evaluate(Property("location.city", ValueOperator.In, "Hamburg", "berlin"), profile, T).IsMember);
        Assert.True(Evaluate(Property("computed.orderCount", ValueOperator.GreaterThan, 3), profile, T).IsMember);
        Assert.Equal(Verdict.Always(false), Evaluate(Property("computed.totalRevenue", ValueOperator.LessThan, 100), profile, T));
        Assert.True(Evaluate(Property("traits.missing", ValueOperator.NotSet), profile, T).IsMember);
    }

    [Fact]
    public void The_average_order_value_of_a_profile_without_orders_is_not_set() =>
        Assert.Equal(
            Verdict.Always(true),
            Evaluate(Property("computed.averageOrderValue", ValueOperator.NotEquals, 0), Some.Profile(), T));

    // ---- withinLast and moreThanDaysAgo ----------------------------------------------------------------------

    [Fact]
    public void Ordered_within_the_last_30_days_stops_exactly_30_days_after_the_order()
    {
        var condition = Property("computed.lastOrderDate", Days(ValueOperator.WithinLast, 30));
        var profile = Ordered(T);
        var expiry = T.AddDays(30);

        Assert.Equal(new Verdict(true, expiry), Evaluate(condition, profile, T));
        Assert.Equal(new Verdict(true, expiry), Evaluate(condition, profile, expiry.AddMilliseconds(-1)));
        Assert.Equal(Verdict.Always(false), Evaluate(condition, profile, expiry));
    }

    [Fact]
    public void A_date_still_to_come_is_within_the_last_days_from_that_date_on()
    {
        var condition = Property("computed.lastOrderDate", Days(ValueOperator.WithinLast, 7));
        var profile = Ordered(T.AddHours(5));

        Assert.Equal(new Verdict(false, T.AddHours(5)), Evaluate(condition, profile, T));
        Assert.Equal(new Verdict(true, T.AddHours(5).AddDays(7)), Evaluate(condition, profile, T.AddHours(5)));
    }

    [Fact]
    public void More_than_90_days_ago_becomes_true_exactly_90_days_after_the_date_and_stays()
    {
        var condition = Property("computed.lastOrderDate", Days(ValueOperator.MoreThanDaysAgo, 90));
        var profile = Ordered(T);
        var turn = T.AddDays(90);

        Assert.Equal(new Verdict(false, turn), Evaluate(condition, profile, T.AddDays(1)));
        Assert.False(Evaluate(condition, profile, turn.AddMilliseconds(-1)).IsMember);
        Assert.Equal(Verdict.Always(true), Evaluate(condition, profile, turn));
        Assert.Equal(Verdict.Always(true), Evaluate(condition, profile, turn.AddYears(3)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(29.999)]
    [InlineData(30)]
    [InlineData(400)]
    public void Within_the_last_and_more_than_days_ago_are_complements_for_a_past_date(double daysLater)
    {
        var profile = Ordered(T);
        var now = T.AddDays(daysLater);

        var within = Evaluate(Property("computed.lastOrderDate", Days(ValueOperator.WithinLast, 30)), profile, now);
        var moreThan = Evaluate(Property("computed.lastOrderDate", Days(ValueOperator.MoreThanDaysAgo, 30)), profile, now);

        Assert.NotEqual(within.IsMember, moreThan.IsMember);
    }

    [Fact]
    public void Nothing_is_within_the_last_0_days() =>
        Assert.Equal(
            Verdict.Always(false),
            Evaluate(Property("computed.lastOrderDate", Days(ValueOperator.WithinLast, 0)), Ordered(T.AddDays(1)), T));

    [Fact]
    public void A_date_only_trait_is_read_in_the_profile_time_zone()
    {
        // Midnight of 2 March in New York is 05:00 UTC, so at 04:00 UTC the signup day has not begun there.
        var condition = Property("traits.birthday", Days(ValueOperator.WithinLast, 1));
        var now = Utc(2026, 3, 2, 4);

        Assert.Equal(new Verdict(false, Utc(2026, 3, 2, 5)), Evaluate(condition, Born("2026-03-02", "America/New_York"), now));
        Assert.Equal(new Verdict(true, Utc(2026, 3, 3)), Evaluate(condition, Born("2026-03-02", null), now));
    }

    [Fact]
    public void An_unknown_time_zone_reads_dates_in_utc() =>
        Assert.Equal(
            Evaluate(Property("traits.birthday", Days(ValueOperator.WithinLast, 1)), Born("2026-03-02", null), T),
            Evaluate(Property("traits.birthday", Days(ValueOperator.WithinLast, 1)), Born("2026-03-02", "Not/AZone"), T));

    // ---- anniversaries ---------------------------------------------------------------------------------------

    [Fact]
    public void A_birthday_within_7_days_starts_at_local_midnight_seven_days_before_and_ends_when_the_day_has_passed()
    {
        var condition = Property("traits.birthday", Days(ValueOperator.AnniversaryWithin, 7));
        var profile = Born("1990-03-10", "Europe/Berlin");

        // 2 March in Berlin: the birthday is 8 days away, so it enters at the start of 3 March (23:00 UTC the day before).
        Assert.Equal(new Verdict(false, Utc(2026, 3, 2, 23)), Evaluate(condition, profile, T));
        Assert.Equal(new Verdict(true, Utc(2026, 3, 10, 23)), Evaluate(condition, profile, Utc(2026, 3, 2, 23)));
        Assert.True(Evaluate(condition, profile, Utc(2026, 3, 10, 22, 59)).IsMember);
        Assert.Equal(new Verdict(false, Utc(2027, 3, 2, 23)), Evaluate(condition, profile, Utc(2026, 3, 10, 23)));
    }

    [Fact]
    public void An_anniversary_within_0_days_is_today_only()
    {
        var condition = Property("traits.birthday", Days(ValueOperator.AnniversaryWithin, 0));
        var profile = Born("1990-03-02", null);

        Assert.Equal(new Verdict(true, Utc(2026, 3, 3)), Evaluate(condition, profile, T));
        Assert.Equal(new Verdict(false, Utc(2027, 3, 2)), Evaluate(condition, profile, Utc(2026, 3, 3)));
    }

    [Theory]
    [InlineData("Europe/Berlin", "1985-03-29", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z", 23)]
    [InlineData("Europe/Berlin", "1985-10-25", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", 25)]
    [InlineData("America/New_York", "1985-03-08", "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z", 23)]
    [InlineData("America/New_York", "1985-11-01", "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z", 25)]
    public void An_anniversary_on_a_DST_change_wakes_at_local_midnight(string zone, string birthday, string enters, string leaves, int hoursBetween)
    {
        var condition = Property("traits.birthday", Days(ValueOperator.AnniversaryWithin, 0));
        var profile = Born(birthday, zone);
        var entersAt = DateTimeOffset.Parse(enters, System.Globalization.CultureInfo.InvariantCulture);
        var leavesAt = DateTimeOffset.Parse(leaves, System.Globalization.CultureInfo.InvariantCulture);

        var dayBefore = Evaluate(condition, profile, entersAt.AddHours(-12));
        var onTheDay = Evaluate(condition, profile, dayBefore.ValidUntil!.Value);

        Assert.Equal(new Verdict(false, entersAt), dayBefore);
        Assert.Equal(new Verdict(true, leavesAt), onTheDay);
        Assert.Equal(TimeSpan.FromHours(hoursBetween), onTheDay.ValidUntil!.Value - dayBefore.ValidUntil!.Value);
        Assert.False(Evaluate(condition, profile, leavesAt).IsMember);
    }

    [Fact]
    public void A_local_midnight_skipped_by_DST_wakes_at_the_first_instant_of_the_day()
    {
        // São Paulo moved its clocks from 00:00 to 01:00 (-02:00) on 4 November 2018.
        var condition = Property("traits.birthday", Days(ValueOperator.AnniversaryWithin, 0));
        var profile = Born("2000-11-04", "America/Sao_Paulo");

        var verdict = Evaluate(condition, profile, Utc(2018, 11, 3, 15));

        Assert.Equal(new Verdict(false, Utc(2018, 11, 4, 3)), verdict);
        Assert.True(Evaluate(condition, profile, verdict.ValidUntil!.Value).IsMember);
    }

    [Fact]
    public void A_day_the_time_zone_skipped_starts_with_the_next_day()
    {
        // Samoa skipped 30 December 2011, going from the 29th straight to the 31st (UTC+14).
        var condition = Property("traits.birthday", Days(ValueOperator.AnniversaryWithin, 0));
        var profile = Born("1990-12-30", "Pacific/Apia");

        Assert.Equal(new Verdict(false, Utc(2011, 12, 30, 10)), Evaluate(condition, profile, Utc(2011, 12, 29)));
    }

    [Fact]
    public void A_29_February_birthday_falls_on_28_February_in_common_years()
    {
        var condition = Property("traits.birthday", Days(ValueOperator.AnniversaryWithin, 0));
        var profile = Born("2000-02-29", null);

        Assert.Equal(new Verdict(false, Utc(2026, 2, 28)), Evaluate(condition, profile, Utc(2026, 2, 27, 12)));
        Assert.Equal(new Verdict(true, Utc(2026, 3, 1)), Evaluate(condition, profile, Utc(2026, 2, 28)));
        Assert.Equal(new Verdict(false, Utc(2027, 2, 28)), Evaluate(condition, profile, Utc(2026, 3, 1)));
    }

    [Fact]
    public void A_29_February_birthday_is_on_29_February_in_leap_years()
    {
        var condition = Property("traits.birthday", Days(ValueOperator.AnniversaryWithin, 0));
        var profile = Born("2000-02-29", null);

        Assert.Equal(new Verdict(false, Utc(2028, 2, 29)), Evaluate(condition, profile, Utc(2028, 2, 28, 12)));
        Assert.Equal(new Verdict(true, Utc(2028, 3, 1)), Evaluate(condition, profile, Utc(2028, 2, 29)));
    }

    [Fact]
    public void The_anniversary_of_an_instant_is_its_day_in_the_profile_time_zone()
    {
        // The first order at 23:30 UTC on 2 March 2025 was on 3 March in Berlin.
        var condition = Property("computed.firstOrderDate", Days(ValueOperator.AnniversaryWithin, 0));
        var profile = Some.Profile() with
        {
            TimeZone = "Europe/Berlin",
            Computed = new ComputedTraits { OrderCount = 1, FirstOrderDate = Utc(2025, 3, 2, 23, 30) },
        };

        Assert.False(Evaluate(condition, profile, Utc(2026, 3, 2, 12)).IsMember);
        Assert.Equal(new Verdict(true, Utc(2026, 3, 3, 23)), Evaluate(condition, profile, Utc(2026, 3, 3, 12)));
    }

    [Fact]
    public void Before_and_after_do_not_change_with_time() =>
        Assert.Equal(
            Verdict.Always(true),
            Evaluate(Property("computed.lastOrderDate", ValueOperator.Before, "2026-04-01"), Ordered(T), T));
}
