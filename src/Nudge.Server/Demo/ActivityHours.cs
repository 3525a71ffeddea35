namespace Nudge.Server.Demo;

/// <summary>
/// Moves a moment to an hour people actually shop at, in their own time zone: little at night,
/// a lunchtime bump and an evening peak. Without this, send-time features have nothing to find.
/// </summary>
internal static class ActivityHours
{
    private static readonly double[] _cumulative = DemoRandom.Cumulative(
    [
        1.0, 0.5, 0.3, 0.2, 0.2, 0.4, 1.0, 2.0, 3.0, 3.5, 4.0, 4.0,
        5.0, 5.0, 4.0, 4.0, 4.0, 5.0, 6.0, 8.0, 9.0, 8.0, 5.0, 3.0,
    ]);

    /// <summary>
    /// Keeps the local date of <paramref name="moment"/> but picks a typical local time of day;
    /// returns <paramref name="moment"/> unchanged if the result would leave [<paramref name="min"/>, <paramref name="max"/>].
    /// </summary>
    public static DateTimeOffset Shape(DemoRandom random, DateTimeOffset moment, DemoPlace place, DateTimeOffset min, DateTimeOffset max)
    {
        var utc = moment.UtcDateTime;
        var offset = EuropeanTime.Offset(utc, place.StandardOffsetHours);
        var localDate = (utc + offset).Date;
        var localTime = TimeSpan.FromHours(random.PickWeighted(_cumulative)) + TimeSpan.FromSeconds(random.Next(3600));
        var shapedUtc = DateTime.SpecifyKind(localDate + localTime - offset, DateTimeKind.Utc);
        var shaped = new DateTimeOffset(shapedUtc, TimeSpan.Zero);
        return shaped >= min && shaped <= max ? shaped : Truncate(moment);
    }

    /// <summary>Drops sub-millisecond ticks so timestamps survive a round trip through ISO-8601.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset moment) =>
        new(moment.UtcTicks - (moment.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
}
