using Nudge.Core.Profiles;

namespace Nudge.Core.Segments;

/// <summary>What <see cref="SegmentEvaluator"/> may know about one person.</summary>
public interface ISegmentFacts
{
    Profile Profile { get; }

    /// <summary>The tally of the events matching an event or aggregate condition (empty when none matched).</summary>
    EventTally Tally(string conditionKey);

    bool IsInList(string listId);

    bool IsInSegment(string segmentId);
}
