using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;

namespace Nudge.Core.Segments;

public static partial class SegmentDefinitionReader
{
    /// <summary>The largest N of <c>atLeast</c>, <c>atMost</c> and <c>exactly</c>.</summary>
    public const int MaxCount = 1_000_000;

    private static readonly string[] _eventKeys = ["event", "where", "count", "window", "aggregate"];
    private static readonly string[] _aggregateKeys = ["event", "where", "aggregate", "of", "operator", "value", "window"];
    private static readonly string[] _countKeys = ["atLeast", "atMost", "exactly"];
    private static readonly string[] _windowKeys = ["last", "unit", "since", "from", "to"];

    private static readonly FrozenDictionary<string, AggregateFunction> _aggregates = new Dictionary<string, AggregateFunction>
    {
        ["sum"] = AggregateFunction.Sum,
        ["average"] = AggregateFunction.Average,
        ["count"] = AggregateFunction.Count,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, TimeSpan> _units = new Dictionary<string, TimeSpan>
    {
        ["minutes"] = TimeSpan.FromMinutes(1),
        ["hours"] = TimeSpan.FromHours(1),
        ["days"] = TimeSpan.FromDays(1),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private const string WindowShapes = "{ \"last\": 30, \"unit\": \"days\" }, { \"since\": \"2026-01-01\" } or { \"from\": \"2026-01-01\", \"to\": \"2026-02-01\" }";

    /// <remarks>The node's path becomes the condition's key: it is unique within the definition and stays put while the definition does.</remarks>
    private static Condition? ReadEventCondition(JsonElement node, string path, Reading reading)
    {
        var isAggregate = node.TryGetProperty("aggregate", out var aggregate);
        if (isAggregate)
        {
            CheckKeys(node, path, "an aggregate condition", _aggregateKeys, reading, key => key == "count"
                ? "count does not go with aggregate: compare the aggregate with operator and value instead"
                : null);
        }
        else
        {
            CheckKeys(node, path, "an event condition", _eventKeys, reading, key => key is "of" or "operator" or "value"
                ? $"'{key}' belongs to an aggregate: add \"aggregate\": \"sum\", \"average\" or \"count\", or use count for how many times"
                : null);
        }

        var name = ReadEventName(node.GetProperty("event"), Field(path, "event"), reading);
        var where = ReadWhere(node, path, reading);
        var window = ReadWindow(node, path, reading);

        if (!isAggregate)
        {
            var count = ReadCount(node, path, reading);
            return name is not null && where is not null && count is not null && window is not null
                ? new EventCondition(path, name, where.Value, count, window)
                : null;
        }

        AggregateFunction? function = ReadChoice(aggregate, Field(path, "aggregate"), _aggregates.Keys, reading) is { } functionName
            ? _aggregates[functionName]
            : null;
        var of = ReadOf(node, path, function, reading);
        var test = ReadValueTest(node, path, "an aggregate", ProfilePropertyKind.Number, reading, aggregate: true);
        return name is not null && where is not null && function is not null && of.IsValid && test is not null && window is not null
            ? new AggregateCondition(path, name, where.Value, function.Value, of.Path, test, window)
            : null;
    }

    private static string? ReadEventName(JsonElement value, string field, Reading reading)
    {
        var name = value.ValueKind == JsonValueKind.String ? value.GetString()! : null;
        if (string.IsNullOrWhiteSpace(name))
            reading.Error(field, "must be an event name, e.g. \"Order Completed\"");
        else if (name.Length > MaxEventNameLength)
            reading.Error(field, $"must be at most {MaxEventNameLength} characters");
        else
            return name;
        return null;
    }

    private static (bool IsValid, string? Path) ReadOf(JsonElement node, string path, AggregateFunction? function, Reading reading)
    {
        var field = Field(path, "of");
        var given = node.TryGetProperty("of", out var of);
        if (function == AggregateFunction.Count)
        {
            if (!given)
                return (true, null);
            reading.Error(field, "is not used by count, which counts the matching events: leave it out");
            return (false, null);
        }

        if (!given)
        {
            if (function is not null)
                reading.Error(field, $"is required for {(function == AggregateFunction.Sum ? "sum" : "average")}: the event property to add up, e.g. \"revenue\"");
            return (false, null);
        }

        return ReadPropertyPath(of, field, reading) is { } property ? (true, property) : (false, null);
    }

    /// <summary>A dotted path into an event's properties, e.g. <c>revenue</c> or <c>product.category</c>.</summary>
    private static string? ReadPropertyPath(JsonElement value, string field, Reading reading)
    {
        var path = value.ValueKind == JsonValueKind.String ? value.GetString()! : null;
        if (path is not null && path.Split('.').All(part => part.Length > 0))
            return path;

        reading.Error(field, "must be an event property, e.g. \"revenue\" or \"product.category\"");
        return null;
    }

    private static ImmutableArray<PropertyFilter>? ReadWhere(JsonElement node, string path, Reading reading)
    {
        if (!node.TryGetProperty("where", out var where) || where.ValueKind == JsonValueKind.Null)
            return [];

        var field = Field(path, "where");
        if (where.ValueKind != JsonValueKind.Array)
        {
            reading.Error(field, "must be an array of tests, e.g. [{ \"property\": \"category\", \"operator\": \"equals\", \"value\": \"shoes\" }]");
            return null;
        }

        var filters = ImmutableArray.CreateBuilder<PropertyFilter>(where.GetArrayLength());
        var index = 0;
        foreach (var item in where.EnumerateArray())
        {
            if (ReadFilter(item, $"{field}[{index}]", reading) is { } filter)
                filters.Add(filter);
            index++;
        }

        return filters.Count == filters.Capacity ? filters.MoveToImmutable() : null;
    }

    private static PropertyFilter? ReadFilter(JsonElement item, string path, Reading reading)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            reading.Error(path, "must be an object: { \"property\": ..., \"operator\": ..., \"value\": ... }");
            return null;
        }

        CheckKeys(item, path, "a where test", _testKeys, reading);
        var field = Field(path, "property");
        string? property = null;
        if (item.TryGetProperty("property", out var value))
            property = ReadPropertyPath(value, field, reading);
        else
            reading.Error(field, "is required: the event property to test, e.g. \"category\"");

        // Event properties have no declared types, so every operator applies and the operand decides.
        var test = ReadValueTest(item, path, "an event property", ProfilePropertyKind.Any, reading);
        return property is not null && test is not null ? new PropertyFilter(property, test) : null;
    }

    private static CountRule? ReadCount(JsonElement node, string path, Reading reading)
    {
        if (!node.TryGetProperty("count", out var count) || count.ValueKind == JsonValueKind.Null)
            return CountRule.AtLeastOnce;

        var field = Field(path, "count");
        if (count.ValueKind != JsonValueKind.Object)
        {
            reading.Error(field, "must be an object with one of atLeast, atMost or exactly, e.g. { \"atLeast\": 2 }");
            return null;
        }

        CheckKeys(count, field, "count", _countKeys, reading);
        var given = _countKeys.Where(key => count.TryGetProperty(key, out _)).ToList();
        if (given.Count != 1)
        {
            reading.Error(field, given.Count == 0
                ? "needs one of atLeast, atMost or exactly, e.g. { \"atLeast\": 2 }"
                : $"has {string.Join(" and ", given)}: give only one of atLeast, atMost or exactly");
            return null;
        }

        var value = count.GetProperty(given[0]);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n is >= 0 and <= MaxCount)
        {
            var comparison = given[0] switch
            {
                "atLeast" => CountComparison.AtLeast,
                "atMost" => CountComparison.AtMost,
                _ => CountComparison.Exactly,
            };
            return new CountRule(comparison, n);
        }

        reading.Error(Field(field, given[0]), $"must be a whole number from 0 to {MaxCount:N0}");
        return null;
    }

    private static TimeWindow? ReadWindow(JsonElement node, string path, Reading reading)
    {
        if (!node.TryGetProperty("window", out var window) || window.ValueKind == JsonValueKind.Null)
            return TimeWindow.Ever;

        var field = Field(path, "window");
        if (window.ValueKind != JsonValueKind.Object)
        {
            reading.Error(field, $"must be an object: {WindowShapes}");
            return null;
        }

        CheckKeys(window, field, "a window", _windowKeys, reading);
        var given = _windowKeys.Where(key => window.TryGetProperty(key, out _)).ToList();
        var rolling = given.Contains("last") || given.Contains("unit");
        var since = given.Contains("since");
        var fixedRange = given.Contains("from") || given.Contains("to");

        switch ((rolling ? 1 : 0) + (since ? 1 : 0) + (fixedRange ? 1 : 0))
        {
            case 0:
                // Unknown keys alone are reported by CheckKeys; an empty window still needs its own message.
                if (!window.EnumerateObject().Any())
                    reading.Error(field, $"is empty: give {WindowShapes}, or leave the window out for the whole history");
                return null;
            case > 1:
                reading.Error(field, $"mixes {string.Join(", ", given)}: a window is {WindowShapes}");
                return null;
        }

        if (rolling)
            return ReadRollingWindow(window, field, reading);

        if (since)
            return ReadDate(window.GetProperty("since"), Field(field, "since"), reading) is { } start ? new TimeWindow(Since: start) : null;

        var from = window.TryGetProperty("from", out var fromValue)
            ? ReadDate(fromValue, Field(field, "from"), reading)
            : Missing<DateTimeOffset>(Field(field, "from"), "is required with to", reading);
        var to = window.TryGetProperty("to", out var toValue)
            ? ReadDate(toValue, Field(field, "to"), reading)
            : Missing<DateTimeOffset>(Field(field, "to"), "is required with from", reading);
        if (from is null || to is null)
            return null;
        if (from < to)
            return new TimeWindow(Since: from, Until: to);

        reading.Error(Field(field, "to"), "must be after from");
        return null;
    }

    private static TimeWindow? ReadRollingWindow(JsonElement window, string field, Reading reading)
    {
        TimeSpan? unit = null;
        if (!window.TryGetProperty("unit", out var unitValue))
            reading.Error(Field(field, "unit"), "is required: minutes, hours or days");
        else if (ReadChoice(unitValue, Field(field, "unit"), _units.Keys, reading, "unit") is { } unitName)
            unit = _units[unitName];

        var lastField = Field(field, "last");
        if (!window.TryGetProperty("last", out var lastValue))
        {
            reading.Error(lastField, "is required with unit: how many minutes, hours or days back");
            return null;
        }

        if (lastValue.ValueKind != JsonValueKind.Number || !lastValue.TryGetInt64(out var last))
        {
            reading.Error(lastField, "must be a whole number");
            return null;
        }

        if (last < 1)
        {
            reading.Error(lastField, "must be at least 1");
            return null;
        }

        if (unit is null)
            return null;

        if (last > TimeWindow.LongestRolling.Ticks / unit.Value.Ticks)
        {
            reading.Error(lastField,
                $"window too large: at most {TimeWindow.LongestRolling.TotalDays} days; use since/from-to or leave the window out for the whole history");
            return null;
        }

        return new TimeWindow(Last: TimeSpan.FromTicks(last * unit.Value.Ticks));
    }

    private static T? Missing<T>(string field, string message, Reading reading) where T : struct
    {
        reading.Error(field, message);
        return null;
    }
}
