using System.Globalization;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;

namespace Nudge.Core.Segments;

/// <summary>
/// Applies a <see cref="ValueTest"/> to one value: a profile property (<see cref="ProfileCondition"/>), an event
/// property (the <c>where</c> part of event and aggregate conditions) or an aggregate.
/// </summary>
/// <remarks>
/// <para>
/// Values are null (missing), JSON (traits and event properties), text, decimal numbers or instants, as
/// <see cref="ProfileProperties.Read"/> hands them out. The operand decides how a value is read:
/// </para>
/// <list type="bullet">
/// <item>Text compares without regard to case (ordinal, ignoring case) for <c>equals</c>, <c>notEquals</c>,
/// <c>contains</c>, <c>startsWith</c>, <c>in</c> and <c>notIn</c>.</item>
/// <item>Numbers compare as decimals; a numeric string (<c>"42"</c>, <c>"1e3"</c>) compares as a number when the
/// operand is a number, and a number equals a numeric string operand.</item>
/// <item>Booleans compare with <c>equals</c>/<c>notEquals</c> (the operand <c>true</c> or <c>"true"</c>).</item>
/// <item>Dates are instants or ISO 8601 strings (<c>2026-03-01T10:00:00Z</c>); a date-only string
/// <c>YYYY-MM-DD</c>, as a value or an operand, is the start of that day in the profile's time zone, and a date
/// and time without an offset is read in that zone too. <c>greaterThan</c>, <c>lessThan</c> and <c>between</c>
/// compare dates when the operand is an ISO date; <c>equals</c> on an instant with a date-only operand means
/// "on that local day".</item>
/// <item>A JSON array (tags) holds a test when any element does: <c>tags contains vip</c>, <c>tags in [a, b]</c>.</item>
/// <item><c>notEquals</c>, <c>notIn</c> and <c>notSet</c> are exactly the negation of <c>equals</c>, <c>in</c> and
/// <c>isSet</c>: so a missing value is <c>notEquals</c> and <c>notIn</c> anything and <c>notSet</c>, every other
/// operator is false on it, and an array is <c>notEquals x</c> when no element equals x.</item>
/// <item><c>between</c> includes both ends; <c>before</c> and <c>after</c> are strict.</item>
/// </list>
/// <para>
/// Three operators depend on the time, and say until when their answer holds (<see cref="Verdict.ValidUntil"/>);
/// every interval is half-open, so the answer at <c>ValidUntil</c> is already the new one:
/// </para>
/// <list type="bullet">
/// <item><c>withinLast N</c>: <c>now - N days &lt; date &lt;= now</c> (N days of 24 hours, like a rolling event
/// window; never true for N = 0). Valid until <c>date + N days</c> when true, until <c>date</c> when the date is still to come, forever
/// otherwise.</item>
/// <item><c>moreThanDaysAgo N</c>: <c>date &lt;= now - N days</c>, the exact complement of <c>withinLast</c> for a
/// past date. Valid until <c>date + N days</c> when false; true stays true.</item>
/// <item><c>anniversaryWithin N</c>: in the profile's time zone, the next anniversary A of the date's month and day
/// on or after today (29 February falls on 28 February in other years) is at most N days away, today included.
/// Valid until the start of the local day after A when true (the anniversary has passed), and until the start of
/// local day A - N when false; a local midnight that does not exist is the first instant of that day.</item>
/// </list>
/// </remarks>
public static class ValueComparison
{
    /// <summary>The time zone of an IANA id (<c>Europe/Berlin</c>); UTC when the id is missing or unknown.</summary>
    public static DateTimeZone ZoneOf(string? timeZoneId) =>
        string.IsNullOrEmpty(timeZoneId) ? DateTimeZone.Utc : DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZoneId) ?? DateTimeZone.Utc;

    /// <summary>Applies <paramref name="test"/> to <paramref name="value"/> at <paramref name="now"/>, and says until when the answer holds.</summary>
    /// <param name="test">The comparison.</param>
    /// <param name="value">Null, a <see cref="JsonElement"/>, a <see cref="string"/>, a number, a <see cref="bool"/> or a <see cref="DateTimeOffset"/>.</param>
    /// <param name="zone">Where date-only values and operands are read, and anniversaries fall.</param>
    /// <param name="now">The moment of the evaluation.</param>
    public static Verdict Test(ValueTest test, object? value, DateTimeZone zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(zone);
        return Test(test, Subject.From(value), zone, now);
    }

    /// <summary>Whether <paramref name="value"/> passes <paramref name="test"/> at <paramref name="now"/>.</summary>
    public static bool Holds(ValueTest test, object? value, DateTimeZone zone, DateTimeOffset now) =>
        Test(test, value, zone, now).IsMember;

    /// <summary>Whether a JSON value passes <paramref name="test"/> at <paramref name="now"/> (JSON null and undefined are missing).</summary>
    public static bool Holds(ValueTest test, JsonElement value, DateTimeZone zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(zone);
        return Test(test, Subject.FromJson(value), zone, now).IsMember;
    }

    internal static Verdict Test(ValueTest test, in Subject subject, DateTimeZone zone, DateTimeOffset now)
    {
        var positive = Positive(test.Operator, out var negated);
        var verdict = TestPositive(positive, test, subject, zone, now);
        return negated ? verdict with { IsMember = !verdict.IsMember } : verdict;
    }

    /// <summary>The operator a negative one negates (<c>notEquals</c> → <c>equals</c>), or the operator itself.</summary>
    internal static ValueOperator Positive(ValueOperator op, out bool negated)
    {
        negated = op is ValueOperator.NotEquals or ValueOperator.NotIn or ValueOperator.NotSet;
        return op switch
        {
            ValueOperator.NotEquals => ValueOperator.Equals,
            ValueOperator.NotIn => ValueOperator.In,
            ValueOperator.NotSet => ValueOperator.IsSet,
            _ => op,
        };
    }

    /// <summary>
    /// Applies a positive operator (never <c>notEquals</c>, <c>notIn</c>, <c>notSet</c>): false on a missing value,
    /// and true on an array when any element passes.
    /// </summary>
    internal static Verdict TestPositive(ValueOperator op, ValueTest test, in Subject subject, DateTimeZone zone, DateTimeOffset now)
    {
        switch (subject.Kind)
        {
            case SubjectKind.Missing:
                return Verdict.Always(false);
            case SubjectKind.Array when op != ValueOperator.IsSet:
                {
                    var any = new VerdictCombination(decidingValue: true);
                    foreach (var element in subject.Json.EnumerateArray())
                    {
                        if (any.Add(TestPositive(op, test, Subject.FromJson(element), zone, now)))
                            break;
                    }
                    return any.Result;
                }
        }

        var values = test.Values;
        return op switch
        {
            ValueOperator.IsSet => Verdict.Always(true),
            ValueOperator.Equals => Verdict.Always(values.Length > 0 && EqualsOperand(subject, values[0], zone)),
            ValueOperator.In => Verdict.Always(EqualsAny(subject, test, zone)),
            ValueOperator.Contains => Verdict.Always(values.Length > 0 && subject.Kind == SubjectKind.Text && values[0].ValueKind == JsonValueKind.String
                && subject.Text!.Contains(values[0].GetString()!, StringComparison.OrdinalIgnoreCase)),
            ValueOperator.StartsWith => Verdict.Always(values.Length > 0 && subject.Kind == SubjectKind.Text && values[0].ValueKind == JsonValueKind.String
                && subject.Text!.StartsWith(values[0].GetString()!, StringComparison.OrdinalIgnoreCase)),
            ValueOperator.GreaterThan => Verdict.Always(values.Length > 0 && Order(subject, values[0], zone) is > 0),
            ValueOperator.GreaterOrEqual => Verdict.Always(values.Length > 0 && Order(subject, values[0], zone) is >= 0),
            ValueOperator.LessThan => Verdict.Always(values.Length > 0 && Order(subject, values[0], zone) is < 0),
            ValueOperator.LessOrEqual => Verdict.Always(values.Length > 0 && Order(subject, values[0], zone) is <= 0),
            ValueOperator.Between => Verdict.Always(values.Length > 1 && Order(subject, values[0], zone) is >= 0 && Order(subject, values[1], zone) is <= 0),
            ValueOperator.Before => Verdict.Always(values.Length > 0 && CompareDates(subject, values[0], zone) is < 0),
            ValueOperator.After => Verdict.Always(values.Length > 0 && CompareDates(subject, values[0], zone) is > 0),
            ValueOperator.WithinLast => WithinLast(subject, test.Days, zone, now),
            ValueOperator.MoreThanDaysAgo => MoreThanDaysAgo(subject, test.Days, zone, now),
            ValueOperator.AnniversaryWithin => AnniversaryWithin(subject, test.Days, zone, now),
            _ => Verdict.Always(false),
        };
    }

    private static bool EqualsAny(in Subject subject, ValueTest test, DateTimeZone zone)
    {
        foreach (var operand in test.Values)
        {
            if (EqualsOperand(subject, operand, zone))
                return true;
        }
        return false;
    }

    private static bool EqualsOperand(in Subject subject, JsonElement operand, DateTimeZone zone)
    {
        switch (operand.ValueKind)
        {
            case JsonValueKind.Number:
                return operand.TryGetDecimal(out var number) && subject.TryGetNumber(out var own) && own == number;

            case JsonValueKind.True or JsonValueKind.False:
                var flag = operand.ValueKind == JsonValueKind.True;
                return subject.Kind switch
                {
                    SubjectKind.Boolean => subject.Flag == flag,
                    SubjectKind.Text => string.Equals(subject.Text, flag ? "true" : "false", StringComparison.OrdinalIgnoreCase),
                    _ => false,
                };

            case JsonValueKind.String:
                var text = operand.GetString()!;
                switch (subject.Kind)
                {
                    case SubjectKind.Text:
                        return string.Equals(subject.Text, text, StringComparison.OrdinalIgnoreCase);
                    case SubjectKind.Number:
                        return TryParseNumber(text, out var parsed) && parsed == subject.Number;
                    case SubjectKind.Boolean:
                        return string.Equals(text, subject.Flag ? "true" : "false", StringComparison.OrdinalIgnoreCase);
                    case SubjectKind.Date:
                        if (!TryParseDate(text, zone, out var date))
                            return false;
                        return date.IsDateOnly
                            ? LocalDateOf(subject.Date, zone) == date.LocalDate
                            : subject.Date == date.Instant;
                    default:
                        return false;
                }

            default:
                return false;
        }
    }

    // Orders a value against an operand: numbers against a number (or a numeric string), dates against an ISO date.
    private static int? Order(in Subject subject, JsonElement operand, DateTimeZone zone)
    {
        switch (operand.ValueKind)
        {
            case JsonValueKind.Number:
                return operand.TryGetDecimal(out var number) && subject.TryGetNumber(out var own) ? own.CompareTo(number) : null;
            case JsonValueKind.String:
                var text = operand.GetString()!;
                if (TryParseDate(text, zone, out var date))
                    return subject.TryGetInstant(zone, out var instant) ? instant.CompareTo(date.Instant) : null;
                return TryParseNumber(text, out var parsed) && subject.TryGetNumber(out var value) ? value.CompareTo(parsed) : null;
            default:
                return null;
        }
    }

    private static int? CompareDates(in Subject subject, JsonElement operand, DateTimeZone zone) =>
        operand.ValueKind == JsonValueKind.String
        && TryParseDate(operand.GetString()!, zone, out var date)
        && subject.TryGetInstant(zone, out var instant)
            ? instant.CompareTo(date.Instant)
            : null;

    private static Verdict WithinLast(in Subject subject, int days, DateTimeZone zone, DateTimeOffset now)
    {
        // No date lies within the last 0 days: saying so up front spares a wake-up at a future date that changes nothing.
        if (days <= 0 || !subject.TryGetInstant(zone, out var date))
            return Verdict.Always(false);
        if (date > now)
            return new Verdict(false, date);
        var end = PlusDays(date, days);
        return now < end ? new Verdict(true, end) : Verdict.Always(false);
    }

    private static Verdict MoreThanDaysAgo(in Subject subject, int days, DateTimeZone zone, DateTimeOffset now)
    {
        if (!subject.TryGetInstant(zone, out var date))
            return Verdict.Always(false);
        var end = PlusDays(date, days);
        return now >= end ? Verdict.Always(true) : new Verdict(false, end);
    }

    private static Verdict AnniversaryWithin(in Subject subject, int days, DateTimeZone zone, DateTimeOffset now)
    {
        if (days < 0 || !subject.TryGetLocalDate(zone, out var date))
            return Verdict.Always(false);

        var today = LocalDateOf(now, zone);
        var anniversary = OnYear(date, today.Year);
        if (anniversary < today)
            anniversary = OnYear(date, today.Year + 1);

        return Period.DaysBetween(today, anniversary) <= days
            ? new Verdict(true, StartOf(anniversary.PlusDays(1), zone))
            : new Verdict(false, StartOf(anniversary.PlusDays(-days), zone));
    }

    /// <summary>The local date of a date value (an ISO string, JSON or <see cref="DateTimeOffset"/>) in <paramref name="zone"/>.</summary>
    internal static bool TryGetLocalDate(object? value, DateTimeZone zone, out LocalDate date) =>
        Subject.From(value).TryGetLocalDate(zone, out date);

    // 29 February has its anniversary on 28 February in common years.
    internal static LocalDate OnYear(LocalDate date, int year) =>
        new(year, date.Month, Math.Min(date.Day, CalendarSystem.Iso.GetDaysInMonth(year, date.Month)));

    // AtStartOfDay resolves a midnight skipped by a DST change to the first instant the day has. A zone may skip a
    // whole day (Pacific/Apia skipped 30 December 2011); that day then starts when the next one does.
    private static DateTimeOffset StartOf(LocalDate date, DateTimeZone zone)
    {
        try
        {
            return zone.AtStartOfDay(date).ToInstant().ToDateTimeOffset();
        }
        catch (SkippedTimeException)
        {
            return zone.AtStartOfDay(date.PlusDays(1)).ToInstant().ToDateTimeOffset();
        }
    }

    private static LocalDate LocalDateOf(DateTimeOffset instant, DateTimeZone zone) =>
        Instant.FromDateTimeOffset(instant).InZone(zone).Date;

    private static DateTimeOffset PlusDays(DateTimeOffset date, int days)
    {
        var span = TimeSpan.FromDays(days);
        return DateTimeOffset.MaxValue - date < span ? DateTimeOffset.MaxValue : date + span;
    }

    internal static bool TryParseNumber(string text, out decimal number) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number);

    /// <summary>Reads an ISO 8601 date (<c>YYYY-MM-DD</c>, in <paramref name="zone"/>) or date and time (without an offset: in <paramref name="zone"/>).</summary>
    internal static bool TryParseDate(string text, DateTimeZone zone, out ParsedDate date)
    {
        date = default;
        if (!LooksLikeIsoDate(text))
            return false;

        if (text.Length == 10)
        {
            var local = LocalDatePattern.Iso.Parse(text);
            if (!local.Success)
                return false;
            date = new ParsedDate(StartOf(local.Value, zone), local.Value, IsDateOnly: true);
            return true;
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
            return false;
        DateTimeOffset instant;
        if (parsed.Kind == DateTimeKind.Unspecified)
        {
            instant = LocalDateTime.FromDateTime(parsed).InZoneLeniently(zone).ToInstant().ToDateTimeOffset();
        }
        else if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant))
        {
            return false;
        }
        date = new ParsedDate(instant, LocalDateOf(instant, zone), IsDateOnly: false);
        return true;
    }

    // Only ISO 8601 counts as a date, so that "3/4/2026" or "1.5" is never read as one by the culture's rules.
    private static bool LooksLikeIsoDate(string text) =>
        text.Length >= 10
        && char.IsAsciiDigit(text[0]) && char.IsAsciiDigit(text[1]) && char.IsAsciiDigit(text[2]) && char.IsAsciiDigit(text[3])
        && text[4] == '-' && char.IsAsciiDigit(text[5]) && char.IsAsciiDigit(text[6])
        && text[7] == '-' && char.IsAsciiDigit(text[8]) && char.IsAsciiDigit(text[9]);

    /// <summary>A date read from text: its instant and its local day, and whether the text named only the day.</summary>
    internal readonly record struct ParsedDate(DateTimeOffset Instant, LocalDate LocalDate, bool IsDateOnly);

    internal enum SubjectKind : byte
    {
        Missing,
        Text,
        Number,
        Boolean,
        Date,
        Array,

        /// <summary>Set, but comparable with nothing: a JSON object, or a number beyond decimal's range.</summary>
        Other,
    }

    /// <summary>A value under test in one unboxed shape, so a comparison allocates nothing but the strings it reads.</summary>
    internal readonly struct Subject
    {
        private Subject(SubjectKind kind, string? text = null, decimal number = 0, bool flag = false, DateTimeOffset date = default, JsonElement json = default)
        {
            Kind = kind;
            Text = text;
            Number = number;
            Flag = flag;
            Date = date;
            Json = json;
        }

        public SubjectKind Kind { get; }
        public string? Text { get; }
        public decimal Number { get; }
        public bool Flag { get; }
        public DateTimeOffset Date { get; }

        /// <summary>The array, for <see cref="SubjectKind.Array"/>.</summary>
        public JsonElement Json { get; }

        public static Subject Missing => default;

        public static Subject FromNumber(decimal number) => new(SubjectKind.Number, number: number);

        public static Subject From(object? value) => value switch
        {
            null => Missing,
            JsonElement json => FromJson(json),
            string text => new(SubjectKind.Text, text),
            decimal number => FromNumber(number),
            DateTimeOffset date => new(SubjectKind.Date, date: date),
            bool flag => new(SubjectKind.Boolean, flag: flag),
            int or long or short or byte or uint or ulong or ushort or sbyte => FromNumber(Convert.ToDecimal(value, CultureInfo.InvariantCulture)),
            double or float => Convert.ToDouble(value, CultureInfo.InvariantCulture) is var d && double.IsFinite(d) && Math.Abs(d) < 7.9e28
                ? FromNumber((decimal)d)
                : new(SubjectKind.Other),
            _ => new(SubjectKind.Other),
        };

        public static Subject FromJson(JsonElement json) => json.ValueKind switch
        {
            JsonValueKind.String => new(SubjectKind.Text, json.GetString()),
            JsonValueKind.Number => json.TryGetDecimal(out var number) ? FromNumber(number) : new(SubjectKind.Other),
            JsonValueKind.True => new(SubjectKind.Boolean, flag: true),
            JsonValueKind.False => new(SubjectKind.Boolean, flag: false),
            JsonValueKind.Array => new(SubjectKind.Array, json: json),
            JsonValueKind.Object => new(SubjectKind.Other),
            _ => Missing,
        };

        public bool TryGetNumber(out decimal number)
        {
            number = Number;
            return Kind == SubjectKind.Number || (Kind == SubjectKind.Text && TryParseNumber(Text!, out number));
        }

        public bool TryGetInstant(DateTimeZone zone, out DateTimeOffset instant)
        {
            instant = Date;
            if (Kind == SubjectKind.Date)
                return true;
            if (Kind == SubjectKind.Text && TryParseDate(Text!, zone, out var parsed))
            {
                instant = parsed.Instant;
                return true;
            }
            return false;
        }

        public bool TryGetLocalDate(DateTimeZone zone, out LocalDate date)
        {
            date = default;
            if (Kind == SubjectKind.Date)
            {
                date = LocalDateOf(Date, zone);
                return true;
            }
            if (Kind == SubjectKind.Text && TryParseDate(Text!, zone, out var parsed))
            {
                date = parsed.LocalDate;
                return true;
            }
            return false;
        }
    }
}
