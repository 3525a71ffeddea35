using System.Globalization;

namespace Nudge.Core.Delivery;

/// <summary>How reasons write durations and moments, the same in every decision (and in every culture).</summary>
internal static class DeliveryWords
{
    /// <summary>"7 days", "16 h", "3 h 20 min", "45 min", "less than a minute".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1))
            return "less than a minute";
        if (span.Ticks % TimeSpan.TicksPerDay == 0)
            return span.Days == 1 ? "1 day" : Invariant($"{span.Days} days");
        var hours = (long)span.TotalHours;
        var minutes = span.Minutes;
        return (hours, minutes) switch
        {
            (0, _) => Invariant($"{minutes} min"),
            (_, 0) => Invariant($"{hours} h"),
            _ => Invariant($"{hours} h {minutes} min"),
        };
    }

    /// <summary>"3 h 20 min ago", or "just now" for a moment not before <paramref name="now"/>.</summary>
    public static string Ago(DateTimeOffset then, DateTimeOffset now) =>
        then >= now ? "just now" : Duration(now - then) + " ago";

    /// <summary>"2026-03-02 09:30 UTC".</summary>
    public static string Moment(DateTimeOffset moment) =>
        moment.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>"21:00".</summary>
    public static string Clock(TimeOnly time) => time.ToString(time.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
