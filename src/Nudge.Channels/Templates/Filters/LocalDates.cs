using System.Globalization;
using System.Text;
using NodaTime;

namespace Nudge.Channels.Templates.Filters;

/// <summary>Writes an instant as a date and time in a person's time zone and language.</summary>
public static class LocalDates
{
    /// <summary>The time zone by IANA id (<c>Europe/Berlin</c>); UTC for an unknown or empty id.</summary>
    public static DateTimeZone Zone(string? id) =>
        id is { Length: > 0 } && DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is { } zone ? zone : DateTimeZone.Utc;

    /// <summary>The instant in <paramref name="zone"/>, written with a named style or a CLDR-style pattern.</summary>
    public static string Format(DateTimeOffset instant, DateTimeZone zone, TemplateLocale locale, string styleOrPattern)
    {
        var local = Instant.FromDateTimeOffset(instant).InZone(zone).LocalDateTime;
        return Write(local, locale, locale.Pattern(styleOrPattern) ?? styleOrPattern);
    }

    private static string Write(LocalDateTime at, TemplateLocale locale, string pattern)
    {
        var output = new StringBuilder(pattern.Length + 16);
        for (var i = 0; i < pattern.Length;)
        {
            var c = pattern[i];
            if (c == '\'')
            {
                var close = pattern.IndexOf('\'', i + 1);
                if (close < 0)
                    close = pattern.Length;
                output.Append(pattern, i + 1, close - i - 1);
                i = close + 1;
                continue;
            }

            var run = 1;
            while (i + run < pattern.Length && pattern[i + run] == c)
                run++;
            output.Append(c switch
            {
                'd' => Pad(at.Day, run),
                'M' => run switch
                {
                    >= 4 => locale.Months[at.Month - 1],
                    3 => locale.ShortMonths[at.Month - 1],
                    _ => Pad(at.Month, run),
                },
                'y' => run == 2 ? Pad(at.Year % 100, 2) : at.Year.ToString(CultureInfo.InvariantCulture),
                'E' => locale.Days[(int)at.DayOfWeek % 7],
                'H' => Pad(at.Hour, run),
                'h' => Pad(at.ClockHourOfHalfDay, run),
                'm' => Pad(at.Minute, run),
                's' => Pad(at.Second, run),
                'a' => at.Hour < 12 ? "AM" : "PM",
                _ => new string(c, run),
            });
            i += run;
        }
        return output.ToString();
    }

    private static string Pad(int value, int width) => value.ToString(width >= 2 ? "D" + width.ToString(CultureInfo.InvariantCulture) : "D", CultureInfo.InvariantCulture);
}
