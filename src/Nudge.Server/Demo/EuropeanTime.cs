namespace Nudge.Server.Demo;

/// <summary>
/// Local time in the demo's European zones, computed from the EU summer-time rule instead of the
/// machine's time-zone database, so that the demo data does not depend on the host's tzdata or ICU.
/// </summary>
internal static class EuropeanTime
{
    /// <summary>The UTC offset at <paramref name="utc"/> of a zone with the given winter offset.</summary>
    public static TimeSpan Offset(DateTime utc, int standardOffsetHours)
    {
        // Summer time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October.
        var begins = LastSunday(utc.Year, 3).AddHours(1);
        var ends = LastSunday(utc.Year, 10).AddHours(1);
        var summer = utc >= begins && utc < ends;
        return TimeSpan.FromHours(standardOffsetHours + (summer ? 1 : 0));
    }

    private static DateTime LastSunday(int year, int month)
    {
        var last = new DateTime(year, month, DateTime.DaysInMonth(year, month), 0, 0, 0, DateTimeKind.Utc);
        return last.AddDays(-(int)last.DayOfWeek);
    }
}
