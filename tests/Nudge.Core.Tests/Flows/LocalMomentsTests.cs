using Nudge.Core.Flows;

namespace Nudge.Core.Tests.Flows;

public sealed class LocalMomentsTests
{
    private static readonly TimeOnly Ten = new(10, 0);

    [Fact]
    public void The_next_ten_oclock_is_today_when_it_is_still_ahead_in_the_profiles_zone() =>
        // 07:00 UTC is 08:00 in Berlin (winter): 10:00 Berlin is 09:00 UTC the same day.
        Assert.Equal(new DateTimeOffset(2026, 1, 14, 9, 0, 0, TimeSpan.Zero),
            LocalMoments.Next(new DateTimeOffset(2026, 1, 14, 7, 0, 0, TimeSpan.Zero), "Europe/Berlin", "UTC", Ten, []));

    [Fact]
    public void The_next_ten_oclock_is_tomorrow_once_it_has_passed() =>
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero),
            LocalMoments.Next(new DateTimeOffset(2026, 1, 14, 9, 30, 0, TimeSpan.Zero), "Europe/Berlin", "UTC", Ten, []));

    [Fact]
    public void Only_allowed_weekdays_are_taken() =>
        // Wednesday 2026-01-14: the next Monday is 2026-01-19.
        Assert.Equal(new DateTimeOffset(2026, 1, 19, 15, 0, 0, TimeSpan.Zero),
            LocalMoments.Next(new DateTimeOffset(2026, 1, 14, 7, 0, 0, TimeSpan.Zero), "America/New_York", "UTC", Ten, [DayOfWeek.Monday]));

    [Fact]
    public void A_profile_without_a_zone_uses_the_fallback_zone() =>
        Assert.Equal(new DateTimeOffset(2026, 1, 14, 1, 0, 0, TimeSpan.Zero),
            LocalMoments.Next(new DateTimeOffset(2026, 1, 13, 20, 0, 0, TimeSpan.Zero), null, "Asia/Tokyo", Ten, []));

    [Fact]
    public void Ten_oclock_follows_the_clock_change_to_summer_time() =>
        // Berlin moves to CEST on 2026-03-29: 10:00 is 09:00 UTC before and 08:00 UTC after.
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 8, 0, 0, TimeSpan.Zero),
            LocalMoments.Next(new DateTimeOffset(2026, 3, 28, 9, 30, 0, TimeSpan.Zero), "Europe/Berlin", "UTC", Ten, []));

    [Fact]
    public void A_time_skipped_by_the_clock_change_is_taken_when_the_clocks_jump() =>
        // 02:30 does not exist in Berlin on 2026-03-29; the clocks jump from 02:00 to 03:00 CEST (01:00 UTC).
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero),
            LocalMoments.Next(new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero), "Europe/Berlin", "UTC", new TimeOnly(2, 30), []));
}
