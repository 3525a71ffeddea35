using Nudge.Core.Ingestion;
using Nudge.Core.Profiles;
using Nudge.Core.Segments;

namespace Nudge.Core.Tests.Support;

/// <summary>What the evaluator may know about one person, held in memory, with tallies folded the way the engine folds them.</summary>
internal sealed class InMemorySegmentFacts(Profile profile) : ISegmentFacts
{
    private readonly Dictionary<string, EventTally> _tallies = new(StringComparer.Ordinal);

    public InMemorySegmentFacts()
        : this(Some.Profile())
    {
    }

    public Profile Profile { get; set; } = profile;

    public HashSet<string> Lists { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Segments { get; } = new(StringComparer.Ordinal);

    public EventTally Tally(string conditionKey) => _tallies.TryGetValue(conditionKey, out var tally) ? tally : new EventTally();

    public bool IsInList(string listId) => Lists.Contains(listId);

    public bool IsInSegment(string segmentId) => Segments.Contains(segmentId);

    /// <summary>The tally kept for <paramref name="conditionKey"/>, created when missing.</summary>
    public EventTally TallyFor(string conditionKey)
    {
        if (!_tallies.TryGetValue(conditionKey, out var tally))
            _tallies[conditionKey] = tally = new EventTally();
        return tally;
    }

    /// <summary>Folds events that arrive at <paramref name="now"/> into the tallies of every event and aggregate condition of the tree.</summary>
    public InMemorySegmentFacts Saw(Condition condition, DateTimeOffset now, params LoggedEvent[] events)
    {
        foreach (var e in events)
        {
            foreach (var node in Conditions.EventNodes(condition))
            {
                var (key, window, counts, value) = node switch
                {
                    EventCondition c => (c.Key, c.Window, EventMatching.TryRead(c, e, out var v), v),
                    AggregateCondition a => (a.Key, a.Window, EventMatching.TryRead(a, e, out var v), v),
                    _ => throw new InvalidOperationException(),
                };
                if (counts)
                    TallyFor(key).Add(window, e.Timestamp, value, now);
            }
        }
        return this;
    }

    /// <summary>Folds events that arrive at their own time (each logged as it happened).</summary>
    public InMemorySegmentFacts Saw(Condition condition, params LoggedEvent[] events)
    {
        foreach (var e in events)
            Saw(condition, e.Timestamp, e);
        return this;
    }
}
