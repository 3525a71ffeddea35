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

    /// <summary>True when the event counts for this condition; <paramref name="value"/> is what it adds.</summary>
    public bool TryRead(LoggedEvent e, out decimal value) => Node is EventCondition condition
        ? EventMatching.TryRead(condition, e, out value)
        : EventMatching.TryRead((AggregateCondition)Node, e, out value);
}
