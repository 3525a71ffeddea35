using System.Collections.Immutable;
using System.Text.Json;
using Nudge.Core.Ingestion;
using NodaTime;

namespace Nudge.Core.Segments;

/// <summary>
/// Decides whether a logged event counts for an event or aggregate condition, and with which value: what the
/// engine folds into the condition's <see cref="EventTally"/> (with <see cref="LoggedEvent.Timestamp"/> as its time).
/// </summary>
/// <remarks>
/// <para>
/// An event counts when it is a track call whose name equals the condition's event (exactly, case included) and
/// every <c>where</c> filter holds on its <c>properties</c>. A filter's property is a dotted path; an array on the
/// way holds the filter when any element does (<c>products.category equals shoes</c> on an Order Completed with
/// one pair of shoes among its products), and a negative operator is the negation of that
/// (<c>products.category notEquals shoes</c>: no product is shoes). Values compare as in
/// <see cref="ValueComparison"/>.
/// </para>
/// <para>
/// The answer for one event must never change once it is folded in, so filters read dates in UTC rather than in
/// the profile's (changeable) time zone, and the day-based operators (<c>withinLast</c>, ...) count from the
/// event's own time.
/// </para>
/// <para>
/// The value is 1 for event conditions and <c>count</c> aggregates. For <c>sum</c> and <c>average</c> it is the
/// number at the <c>of</c> path (a JSON number or a numeric string; the numbers of an array on the way are added
/// up, so <c>products.quantity</c> is the order's number of items). An event without such a number (or whose number
/// lies beyond decimal's range) does not count; filters apply to the whole event, not to single array elements.
/// </para>
/// </remarks>
public static class EventMatching
{
    /// <summary>True when <paramref name="e"/> counts for <paramref name="condition"/>; <paramref name="value"/> is then 1.</summary>
    public static bool TryRead(EventCondition condition, LoggedEvent e, out decimal value)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(e);

        value = 0;
        if (!Matches(condition.Event, condition.Where, e, out _))
            return false;
        value = 1;
        return true;
    }

    /// <summary>True when <paramref name="e"/> counts for <paramref name="condition"/>, with the value it adds.</summary>
    public static bool TryRead(AggregateCondition condition, LoggedEvent e, out decimal value)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(e);

        value = 0;
        if (!Matches(condition.Event, condition.Where, e, out var properties))
            return false;
        if (condition.Function == AggregateFunction.Count)
        {
            value = 1;
            return true;
        }

        var found = false;
        return condition.Of is { } path && SumAlongPath(properties, path, 0, ref value, ref found) && found;
    }

    private static bool Matches(string eventName, ImmutableArray<PropertyFilter> where, LoggedEvent e, out JsonElement properties)
    {
        properties = default;
        if (e.Type != MessageType.Track || !string.Equals(e.Name, eventName, StringComparison.Ordinal))
            return false;

        if (e.Body.ValueKind == JsonValueKind.Object
            && e.Body.TryGetProperty("properties", out var found)
            && found.ValueKind == JsonValueKind.Object)
        {
            properties = found;
        }

        foreach (var filter in where.IsDefault ? [] : where)
        {
            var positive = ValueComparison.Positive(filter.Test.Operator, out var negated);
            if (AnyAlongPath(properties, filter.Property, 0, positive, filter.Test, e.Timestamp) == negated)
                return false;
        }
        return true;
    }

    // Walks the dotted path from `start`; arrays on the way fan out, and the filter holds when any branch does.
    private static bool AnyAlongPath(JsonElement node, string path, int start, ValueOperator positive, ValueTest test, DateTimeOffset at)
    {
        if (start >= path.Length)
            return ValueComparison.TestPositive(positive, test, ValueComparison.Subject.FromJson(node), DateTimeZone.Utc, at).IsMember;

        switch (node.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var element in node.EnumerateArray())
                {
                    if (AnyAlongPath(element, path, start, positive, test, at))
                        return true;
                }
                return false;
            case JsonValueKind.Object:
                var end = path.IndexOf('.', start);
                if (end < 0)
                    end = path.Length;
                return node.TryGetProperty(path.AsSpan(start, end - start), out var child)
                    && AnyAlongPath(child, path, end + 1, positive, test, at);
            default:
                return false;
        }
    }

    // Adds up the numbers at the end of the path; false only when a sum leaves decimal's range.
    private static bool SumAlongPath(JsonElement node, string path, int start, ref decimal sum, ref bool found)
    {
        if (start >= path.Length)
        {
            switch (node.ValueKind)
            {
                case JsonValueKind.Array:
                    foreach (var element in node.EnumerateArray())
                    {
                        if (!SumAlongPath(element, path, start, ref sum, ref found))
                            return false;
                    }
                    return true;
                case JsonValueKind.Number when node.TryGetDecimal(out var number):
                    return Add(ref sum, number, ref found);
                case JsonValueKind.String when ValueComparison.TryParseNumber(node.GetString()!, out var parsed):
                    return Add(ref sum, parsed, ref found);
                default:
                    return true;
            }
        }

        switch (node.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var element in node.EnumerateArray())
                {
                    if (!SumAlongPath(element, path, start, ref sum, ref found))
                        return false;
                }
                return true;
            case JsonValueKind.Object:
                var end = path.IndexOf('.', start);
                if (end < 0)
                    end = path.Length;
                return !node.TryGetProperty(path.AsSpan(start, end - start), out var child)
                    || SumAlongPath(child, path, end + 1, ref sum, ref found);
            default:
                return true;
        }
    }

    private static bool Add(ref decimal sum, decimal number, ref bool found)
    {
        try
        {
            sum += number;
            found = true;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
