using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Nudge.Core.Segments;

public static partial class SegmentDefinitionReader
{
    /// <summary>The longest list <c>in</c> and <c>notIn</c> take; longer ones belong in a static list.</summary>
    public const int MaxInValues = 1000;

    /// <summary>The largest <c>days</c> of <c>withinLast</c>, <c>moreThanDaysAgo</c> and <c>anniversaryWithin</c> (about a hundred years).</summary>
    public const int MaxDays = 36500;

    private static readonly string[] _testKeys = ["property", "operator", "value", "days"];

    private static readonly FrozenDictionary<string, ValueOperator> _operators =
        Enum.GetValues<ValueOperator>().ToFrozenDictionary(OperatorName, StringComparer.Ordinal);

    private static readonly string[] _aggregateOperators =
        [.. new[]
        {
            ValueOperator.Equals, ValueOperator.NotEquals, ValueOperator.GreaterThan, ValueOperator.GreaterOrEqual,
            ValueOperator.LessThan, ValueOperator.LessOrEqual, ValueOperator.Between,
        }.Select(OperatorName)];

    private static readonly string[] _dayOperators =
        [.. new[] { ValueOperator.WithinLast, ValueOperator.MoreThanDaysAgo, ValueOperator.AnniversaryWithin }.Select(OperatorName)];

    private const string DateHint = "a date: 2026-01-31 (midnight UTC) or a date-time with Z or an offset, e.g. 2026-01-31T09:00:00Z";

    // Date-times must say which moment they mean (without an offset, 09:00 would depend on the server), and
    // they are the RFC 3339 forms JSON schema calls date-time, so the schema and the reader agree.
    private static readonly string[] _dateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
    ];

    /// <summary>The operator as definitions spell it: the camelCase of its name (<c>greaterOrEqual</c>).</summary>
    public static string OperatorName(ValueOperator op)
    {
        var name = op.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    /// <summary>
    /// Parses a date as definitions write it: a plain <c>YYYY-MM-DD</c> (midnight UTC) or an ISO 8601 date-time
    /// with <c>Z</c> or an offset. Operands are kept as JSON, so the evaluator parses them with this too.
    /// </summary>
    public static bool TryParseDate(string text, out DateTimeOffset date)
    {
        if (text.Length == 10)
        {
            var parsed = DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day);
            date = parsed ? new DateTimeOffset(day, TimeSpan.Zero) : default;
            return parsed;
        }

        return DateTimeOffset.TryParseExact(
            text,
            _dateTimeFormats,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out date);
    }

    /// <summary>
    /// Reads <c>operator</c> with its <c>value</c> or <c>days</c>, checking both against the kind of the
    /// <paramref name="subject"/> tested; an <paramref name="aggregate"/> takes only the comparisons.
    /// </summary>
    private static ValueTest? ReadValueTest(
        JsonElement node, string path, string subject, ProfilePropertyKind kind, Reading reading, bool aggregate = false)
    {
        var operatorField = Field(path, "operator");
        if (!node.TryGetProperty("operator", out var operatorValue))
        {
            reading.Error(operatorField, "is required, e.g. \"equals\"");
            return null;
        }

        if (ReadChoice(operatorValue, operatorField, aggregate ? _aggregateOperators : _operators.Keys, reading, "operator") is not { } name)
            return null;

        var op = _operators[name];
        if (!Applies(op, kind))
        {
            reading.Error(operatorField, $"operator '{name}' does not apply to {subject}, {Describe(kind)}");
            return null;
        }

        var hasValue = node.TryGetProperty("value", out var value);
        // An aggregate has no days key at all; CheckKeys has already reported one.
        var hasDays = node.TryGetProperty("days", out var days) && !aggregate;
        var valueField = Field(path, "value");
        var daysField = Field(path, "days");

        if (_dayOperators.Contains(name))
        {
            if (hasValue)
                reading.Error(valueField, $"is not used by '{name}': give the number of days in days");
            if (!hasDays)
            {
                reading.Error(daysField, $"is required for '{name}': a whole number of days from 0 to {MaxDays}");
                return null;
            }

            return ReadDays(days, daysField, reading) is { } n && !hasValue ? new ValueTest(op, [], n) : null;
        }

        if (hasDays)
            reading.Error(daysField, $"is not used by '{name}': only {Choices(_dayOperators, "and")} take days");

        if (op is ValueOperator.IsSet or ValueOperator.NotSet)
        {
            if (hasValue)
                reading.Error(valueField, $"is not used by '{name}': leave it out");
            return hasValue || hasDays ? null : new ValueTest(op, []);
        }

        if (!hasValue)
        {
            reading.Error(valueField, $"is required for '{name}'");
            return null;
        }

        return ReadOperands(op, value, valueField, kind, reading) is { } operands && !hasDays ? new ValueTest(op, operands) : null;
    }

    /// <summary>Whether the operator may test a property of the kind (the schema states the same table).</summary>
    internal static bool Applies(ValueOperator op, ProfilePropertyKind kind) => kind switch
    {
        ProfilePropertyKind.Text => op is ValueOperator.Equals or ValueOperator.NotEquals or ValueOperator.Contains
            or ValueOperator.StartsWith or ValueOperator.In or ValueOperator.NotIn or ValueOperator.IsSet or ValueOperator.NotSet,
        ProfilePropertyKind.Number => op is ValueOperator.Equals or ValueOperator.NotEquals or ValueOperator.In or ValueOperator.NotIn
            or ValueOperator.GreaterThan or ValueOperator.GreaterOrEqual or ValueOperator.LessThan or ValueOperator.LessOrEqual
            or ValueOperator.Between or ValueOperator.IsSet or ValueOperator.NotSet,
        ProfilePropertyKind.Date => op is ValueOperator.Before or ValueOperator.After or ValueOperator.Between
            or ValueOperator.GreaterThan or ValueOperator.GreaterOrEqual or ValueOperator.LessThan or ValueOperator.LessOrEqual
            or ValueOperator.WithinLast or ValueOperator.MoreThanDaysAgo or ValueOperator.AnniversaryWithin
            or ValueOperator.IsSet or ValueOperator.NotSet,
        _ => true,
    };

    private static string Describe(ProfilePropertyKind kind) => kind switch
    {
        ProfilePropertyKind.Text => "a string",
        ProfilePropertyKind.Number => "a number",
        ProfilePropertyKind.Date => "a date",
        _ => "a trait",
    };

    private static ImmutableArray<JsonElement>? ReadOperands(ValueOperator op, JsonElement value, string field, ProfilePropertyKind kind, Reading reading)
    {
        switch (op)
        {
            case ValueOperator.In or ValueOperator.NotIn:
                return ReadList(value, field, kind, reading);
            case ValueOperator.Between:
                return ReadRange(value, field, kind, reading);
        }

        var (isValid, expected) = op switch
        {
            ValueOperator.Equals or ValueOperator.NotEquals => kind switch
            {
                ProfilePropertyKind.Text => (value.ValueKind == JsonValueKind.String, "a string"),
                ProfilePropertyKind.Number => (IsNumber(value), "a number"),
                _ => (value.ValueKind is JsonValueKind.String or JsonValueKind.True or JsonValueKind.False || IsNumber(value),
                    "a string, a number, true or false"),
            },
            ValueOperator.Contains or ValueOperator.StartsWith => (value.ValueKind == JsonValueKind.String, "a string"),
            ValueOperator.Before or ValueOperator.After => (IsDate(value), DateHint),
            _ => kind switch
            {
                ProfilePropertyKind.Number => (IsNumber(value), "a number"),
                ProfilePropertyKind.Date => (IsDate(value), DateHint),
                _ => (IsNumber(value) || IsDate(value), $"a number or {DateHint}"),
            },
        };

        if (isValid)
            return [value.Clone()];

        reading.Error(field, $"must be {expected}{NullHint(value)}");
        return null;
    }

    private static ImmutableArray<JsonElement>? ReadList(JsonElement value, string field, ProfilePropertyKind kind, Reading reading)
    {
        var expected = kind switch
        {
            ProfilePropertyKind.Text => "a string",
            ProfilePropertyKind.Number => "a number",
            _ => "a string or a number",
        };

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 or > MaxInValues)
        {
            reading.Error(field, value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > MaxInValues
                ? $"has more than {MaxInValues} values; put longer lists in a static list"
                : $"must be a non-empty array, each item {expected}, e.g. [\"Berlin\", \"Hamburg\"]{NullHint(value)}");
            return null;
        }

        var items = ImmutableArray.CreateBuilder<JsonElement>(value.GetArrayLength());
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var isValid = kind switch
            {
                ProfilePropertyKind.Text => item.ValueKind == JsonValueKind.String,
                ProfilePropertyKind.Number => IsNumber(item),
                _ => item.ValueKind == JsonValueKind.String || IsNumber(item),
            };
            if (isValid)
                items.Add(item.Clone());
            else
                reading.Error($"{field}[{index}]", $"must be {expected}");
            index++;
        }

        return items.Count == items.Capacity ? items.MoveToImmutable() : null;
    }

    private static ImmutableArray<JsonElement>? ReadRange(JsonElement value, string field, ProfilePropertyKind kind, Reading reading)
    {
        var expected = kind switch
        {
            ProfilePropertyKind.Number => "two numbers",
            ProfilePropertyKind.Date => "two dates",
            _ => "two numbers or two dates",
        };

        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2)
        {
            var low = value[0];
            var high = value[1];
            if (kind != ProfilePropertyKind.Date && IsNumber(low) && IsNumber(high))
                return Ordered(low.GetDecimal().CompareTo(high.GetDecimal()));
            if (kind != ProfilePropertyKind.Number && IsDate(low) && IsDate(high))
                return Ordered(Date(low).CompareTo(Date(high)));
        }

        reading.Error(field, $"must be [low, high]: {expected}, e.g. {(kind == ProfilePropertyKind.Date ? "[\"2026-01-01\", \"2026-02-01\"]" : "[10, 20]")}");
        return null;

        ImmutableArray<JsonElement>? Ordered(int comparison)
        {
            if (comparison <= 0)
                return [value[0].Clone(), value[1].Clone()];
            reading.Error(field, "must be [low, high]: low is greater than high");
            return null;
        }

        static DateTimeOffset Date(JsonElement element)
        {
            TryParseDate(element.GetString()!, out var date);
            return date;
        }
    }

    private static int? ReadDays(JsonElement value, string field, Reading reading)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var days) && days is >= 0 and <= MaxDays)
            return days;

        reading.Error(field, $"must be a whole number of days from 0 to {MaxDays}");
        return null;
    }

    private static DateTimeOffset? ReadDate(JsonElement value, string field, Reading reading)
    {
        if (value.ValueKind == JsonValueKind.String && TryParseDate(value.GetString()!, out var date))
            return date;

        reading.Error(field, $"must be {DateHint}");
        return null;
    }

    // Numbers are compared as decimals; one beyond decimal's range would fail later instead of now.
    private static bool IsNumber(JsonElement value) => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out _);

    private static bool IsDate(JsonElement value) => value.ValueKind == JsonValueKind.String && TryParseDate(value.GetString()!, out _);

    private static string NullHint(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null ? "; to test for a missing value use isSet or notSet" : "";
}
