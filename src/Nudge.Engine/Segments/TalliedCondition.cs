using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Nudge.Core.Ingestion;
using Nudge.Core.Segments;

namespace Nudge.Engine.Segments;

/// <summary>An event or aggregate condition of a segment, with the key of the tally the engine keeps for it.</summary>
/// <param name="TallyKey">Segment id, version and the node's path: a new version never reads an old version's tallies.</param>
/// <param name="Node">The <see cref="EventCondition"/> or <see cref="AggregateCondition"/>.</param>
public sealed record TalliedCondition(string TallyKey, Condition Node)
{
    public string Event => Node switch
    {
        EventCondition e => e.Event,
        AggregateCondition a => a.Event,
        _ => throw new InvalidOperationException("Only event and aggregate conditions keep tallies."),
    };

    public TimeWindow Window => Node is EventCondition e ? e.Window : ((AggregateCondition)Node).Window;

    /// <summary>
    /// What the tally counts, whatever the segment: the event, the filters, the window and the value added. Conditions
    /// with the same text keep equal tallies (segments that differ only in their thresholds, such as spending tiers),
    /// so an awake profile can hold one of them for all (<see cref="ProfileSegments"/>).
    /// </summary>
    public string Counts { get; } = CountsOf(Node);

    /// <summary>
    /// Texts every matching event's raw JSON must contain (case-insensitively): the operands of its string
    /// <c>equals</c> filters, when they are plain words (letters, digits, space, - _ .) that JSON writes as they are. A build skips parsing the
    /// bodies that lack one, which is most of them for a selective filter.
    /// </summary>
    public ImmutableArray<string> RequiredTexts { get; } = RequiredTextsOf(Node);

    /// <summary>True when the raw body may match: it holds every <see cref="RequiredTexts"/> entry.</summary>
    public bool MightMatch(string body)
    {
        // A sender may escape any character (\u0073hoes is "shoes"): such bodies are always parsed.
        if (RequiredTexts.IsEmpty || body.Contains("\\u", StringComparison.Ordinal))
            return true;
        foreach (var text in RequiredTexts)
        {
            if (!body.Contains(text, StringComparison.OrdinalIgnoreCase))
                return false;
        }
        return true;
    }

    /// <summary>True when the event counts for this condition; <paramref name="value"/> is what it adds.</summary>
    public bool TryRead(LoggedEvent e, out decimal value) => Node is EventCondition condition
        ? EventMatching.TryRead(condition, e, out value)
        : EventMatching.TryRead((AggregateCondition)Node, e, out value);

    private static string CountsOf(Condition node)
    {
        var (name, where, window, value) = node switch
        {
            EventCondition e => (e.Event, e.Where, e.Window, "1"),
            AggregateCondition { Function: AggregateFunction.Count } a => (a.Event, a.Where, a.Window, "1"),
            AggregateCondition a => (a.Event, a.Where, a.Window, "of " + a.Of),
            _ => throw new InvalidOperationException("Only event and aggregate conditions keep tallies."),
        };
        // Written as JSON, so that no event name, path or operand can run into the next part.
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(name);
            writer.WriteStringValue(value);
            writer.WriteStringValue(window.Last?.ToString("c", CultureInfo.InvariantCulture));
            writer.WriteStringValue(window.Since?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteStringValue(window.Until?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            foreach (var filter in where.IsDefault ? [] : where)
            {
                writer.WriteStringValue(filter.Property);
                writer.WriteStringValue(filter.Test.Operator.ToString());
                writer.WriteNumberValue(filter.Test.Days);
                writer.WriteStartArray();
                foreach (var operand in filter.Test.Values)
                    operand.WriteTo(writer);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static ImmutableArray<string> RequiredTextsOf(Condition node)
    {
        var where = node is EventCondition e ? e.Where : ((AggregateCondition)node).Where;
        var texts = ImmutableArray.CreateBuilder<string>();
        foreach (var filter in where)
        {
            if (filter.Test is { Operator: ValueOperator.Equals, Values: [{ ValueKind: JsonValueKind.String } operand] }
                && operand.GetString() is { Length: > 0 } text && text.Any(char.IsAsciiLetter)
                && text.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-' or '_' or '.'))
            {
                texts.Add(text);
            }
        }
        return texts.ToImmutable();
    }
}
