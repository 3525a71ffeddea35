using System.Text.Json;
using Nudge.Core.Flows;
using Nudge.Core.Profiles;
using Nudge.Core.Tests.Support;

namespace Nudge.Core.Tests.Flows;

public sealed class DateTriggerTests
{
    private static Profile Born(string birthday, string? zone = null) => Some.Profile() with
    {
        Traits = Some.Profile().Traits.SetItem("birthday", JsonSerializer.SerializeToElement(birthday)),
        TimeZone = zone,
    };

    private static DateTrigger Birthday(int offsetDays = 0, bool yearly = true) =>
        new("traits.birthday", offsetDays, yearly, new TimeOnly(10, 0), "UTC");

    [Fact]
    public void A_birthday_fires_at_ten_in_the_profiles_zone_on_its_next_anniversary() =>
        Assert.Equal(new DateTimeOffset(2026, 7, 14, 8, 0, 0, TimeSpan.Zero),
            Birthday().Next(Born("1990-07-14", "Europe/Berlin"), new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void After_this_years_moment_the_next_is_next_year() =>
        Assert.Equal(new DateTimeOffset(2027, 7, 14, 10, 0, 0, TimeSpan.Zero),
            Birthday().Next(Born("1990-07-14"), new DateTimeOffset(2026, 7, 14, 10, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void An_offset_moves_the_moment_days_before() =>
        Assert.Equal(new DateTimeOffset(2026, 7, 11, 10, 0, 0, TimeSpan.Zero),
            Birthday(offsetDays: -3).Next(Born("1990-07-14"), new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void A_leap_day_birthday_falls_on_the_28th_in_common_years() =>
        Assert.Equal(new DateTimeOffset(2027, 2, 28, 10, 0, 0, TimeSpan.Zero),
            Birthday().Next(Born("2000-02-29"), new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void A_once_only_date_in_the_past_never_fires() =>
        Assert.Null(Birthday(yearly: false).Next(Born("2020-05-01"), new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void A_profile_without_the_date_never_fires() =>
        Assert.Null(Birthday().Next(Some.Profile(), new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void A_date_trigger_reads_from_a_definition()
    {
        var flow = FlowJson.Read("""
            {"name":"Birthday","trigger":{"date":{"property":"traits.birthday","offsetDays":-7,"time":"09:30","fallbackZone":"Europe/Berlin"}},
             "reentry":{"mode":"everyTime"},"start":"a","steps":{"a":{"type":"send","channel":"email","template":"tpl_bday"}}}
            """);

        Assert.Equal(new DateTrigger("traits.birthday", -7, true, new TimeOnly(9, 30), "Europe/Berlin"), flow.Trigger);
    }

    [Fact]
    public void A_date_trigger_on_a_number_property_is_refused() =>
        Assert.Equal("trigger.date.property", Assert.Single(FlowJson.Errors("""
            {"name":"X","trigger":{"date":{"property":"computed.orderCount"}},"start":"a","steps":{"a":{"type":"end"}}}
            """)).Field);
}
