using System.Collections.Immutable;
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
