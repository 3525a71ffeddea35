using Nudge.Core.Ingestion;
using Nudge.Core.Profiles;
using Nudge.Core.Segments;

namespace Nudge.Core.Flows;

/// <summary>
/// What a flow's filter and splits may know about the person: the profile, its lists and segments (as the grain
/// holds them), and, for event conditions ("did Order Completed in the last 7 days"), tallies counted from the
/// person's history when a flow first asks.
/// </summary>
public sealed class FlowFacts(Profile profile, Func<string, bool> isInSegment, IReadOnlyList<LoggedEvent> history) : ISegmentFacts
{
    private readonly Dictionary<string, EventTally> _tallies = new(StringComparer.Ordinal);

    public Profile Profile => profile;

    public bool IsInList(string listId) => profile.Lists.ContainsKey(listId);

    public bool IsInSegment(string segmentId) => isInSegment(segmentId);

    public EventTally Tally(string conditionKey) => _tallies.GetValueOrDefault(conditionKey) ?? new EventTally();

    /// <summary>Counts the history for every event and aggregate condition of <paramref name="flow"/> (filter and splits).</summary>
    public FlowFacts CountFor(FlowDefinition flow, DateTimeOffset now)
    {
        foreach (var node in EventNodes(flow))
        {
            if (_tallies.ContainsKey(Key(node)))
                continue;
            var tally = new EventTally();
            foreach (var e in history)
            {
                var (counts, value, window) = node switch
                {
                    EventCondition c => (EventMatching.TryRead(c, e, out var v), v, c.Window),
                    AggregateCondition a => (EventMatching.TryRead(a, e, out var v), v, a.Window),
                    _ => (false, 0m, TimeWindow.Ever),
                };
                if (counts && window.Admits(e.Timestamp, now))
                    tally.Add(window, e.Timestamp, value, now);
            }
            _tallies[Key(node)] = tally;
        }
        return this;
    }

    /// <summary>True when a flow's conditions ask about event history, which costs a read of it.</summary>
    public static bool NeedsHistory(FlowDefinition flow) => EventNodes(flow).Any();

    private static string Key(Condition node) => node switch
    {
        EventCondition c => c.Key,
        AggregateCondition a => a.Key,
        _ => "",
    };

    private static IEnumerable<Condition> EventNodes(FlowDefinition flow)
    {
        var roots = flow.Steps.Values.OfType<ConditionalSplitStep>().Select(s => s.Condition);
        if (flow.Filter is { } filter)
            roots = roots.Prepend(filter);
        var stack = new Stack<Condition>(roots);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case AllOf all:
                    foreach (var child in all.Conditions)
                        stack.Push(child);
                    break;
                case AnyOf any:
                    foreach (var child in any.Conditions)
                        stack.Push(child);
                    break;
                case Not not:
                    stack.Push(not.Inner);
                    break;
                case var node when node is EventCondition or AggregateCondition:
                    yield return node;
                    break;
            }
        }
    }
}
