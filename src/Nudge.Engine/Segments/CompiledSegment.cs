using System.Collections.Immutable;
using Nudge.Core.Segments;
using Nudge.Storage.Segments;

namespace Nudge.Engine.Segments;

/// <summary>A segment version ready for the engine: its condition and what can change its answer.</summary>
public sealed record CompiledSegment
{
    public required SegmentRecord Record { get; init; }
    public required Condition Condition { get; init; }

    /// <summary>The event and aggregate conditions, each with its tally.</summary>
    public required ImmutableArray<TalliedCondition> Tallied { get; init; }

    /// <summary>Event names that can change the answer.</summary>
    public required ImmutableHashSet<string> Events { get; init; }

    /// <summary>True when profile properties, consent, location or list membership take part (any profile change may matter).</summary>
    public required bool ReadsProfile { get; init; }

    /// <summary>Segments whose membership takes part.</summary>
    public required ImmutableHashSet<string> ReadsSegments { get; init; }

    public string Id => Record.Id;
    public string Name => Record.Name;
    public long Version => Record.Version;
    public bool IsReady => Record.Status == SegmentStatus.Ready;

    /// <summary>Events up to this log sequence are counted by the build; later ones by the grains.</summary>
    public long BuildThrough => Record.BuildThrough;

    /// <summary>The prefix of every tally key of this version.</summary>
    public string TallyPrefix => TallyPrefixOf(Record.Id, Record.Version);

    public static string TallyPrefixOf(string segmentId, long version) => $"{segmentId}:{version}/";

    public static CompiledSegment Compile(SegmentRecord record, Condition condition)
    {
        var tallied = ImmutableArray.CreateBuilder<TalliedCondition>();
        var readsProfile = false;
        Walk(condition);
        return new CompiledSegment
        {
            Record = record,
            Condition = condition,
            Tallied = tallied.ToImmutable(),
            Events = tallied.Select(t => t.Event).ToImmutableHashSet(StringComparer.Ordinal),
            ReadsProfile = readsProfile,
            ReadsSegments = SegmentReferences.SegmentsOf(condition).ToImmutableHashSet(StringComparer.Ordinal),
        };

        void Walk(Condition node)
        {
            switch (node)
            {
                case AllOf all:
                    foreach (var child in all.Conditions)
                        Walk(child);
                    break;
                case AnyOf any:
                    foreach (var child in any.Conditions)
                        Walk(child);
                    break;
                case Not not:
                    Walk(not.Inner);
                    break;
                case EventCondition e:
                    tallied.Add(new TalliedCondition(TallyPrefixOf(record.Id, record.Version) + e.Key, e));
                    break;
                case AggregateCondition a:
                    tallied.Add(new TalliedCondition(TallyPrefixOf(record.Id, record.Version) + a.Key, a));
                    break;
                case ProfileCondition or ConsentCondition or NearCondition or ListCondition:
                    readsProfile = true;
                    break;
            }
        }
    }
}
