using System.Collections.Immutable;
using NodaTime;
using NodaTime.Utility;
using Nudge.Core.Segments;

namespace Nudge.Core.Flows;

/// <summary>Finds the next moment a wall clock in a person's time zone shows a given time on an allowed weekday.</summary>
public static class LocalMoments
{
    /// <summary>
    /// The first moment at or after <paramref name="now"/> when it is <paramref name="timeOfDay"/> on one of
    /// <paramref name="days"/> (every day when empty) in the profile's zone, or in <paramref name="fallbackZone"/> when
    /// the profile has none. A time skipped by a DST change is taken as the moment the clocks jump to; a time that
    /// happens twice, the first.
    /// </summary>
    public static DateTimeOffset Next(DateTimeOffset now, string? profileZone, string fallbackZone, TimeOnly timeOfDay, ImmutableArray<DayOfWeek> days)
    {
        var zone = (string.IsNullOrEmpty(profileZone) ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(profileZone))
            ?? ValueComparison.ZoneOf(fallbackZone);
        var instant = Instant.FromDateTimeOffset(now);
        var today = instant.InZone(zone).Date;
        var time = new LocalTime(timeOfDay.Hour, timeOfDay.Minute, timeOfDay.Second);
        for (var offset = 0; offset <= 7; offset++)
        {
            var date = today.PlusDays(offset);
            if (!days.IsDefaultOrEmpty && !days.Contains(BclConversions.ToDayOfWeek(date.DayOfWeek)))
                continue;
            var moment = date.At(time).InZoneLeniently(zone).ToInstant();
            if (moment >= instant)
                return moment.ToDateTimeOffset();
        }
        // Unreachable with at least one allowed day: a week always holds it after today.
        throw new InvalidOperationException("No allowed day within a week.");
    }
}
