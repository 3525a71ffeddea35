using System.Collections.Immutable;
using System.Text.Json;
using Nudge.Core.Profiles;
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

    /// <summary>The profile properties its conditions name.</summary>
    public ImmutableArray<string> ProfilePaths { get; init; } = [];

    public bool ReadsConsent { get; init; }
    public bool ReadsLocation { get; init; }
    public bool ReadsLists { get; init; }

    public string Id => Record.Id;
    public string Name => Record.Name;
    public long Version => Record.Version;
    public bool IsReady => Record.Status == SegmentStatus.Ready;

    /// <summary>Events up to this log sequence are counted by the build; later ones by the grains.</summary>
    public long BuildThrough => Record.BuildThrough;

    /// <summary>The prefix of every tally key of this version.</summary>
    public string TallyPrefix => field ??= TallyPrefixOf(Record.Id, Record.Version);

    /// <summary>
    /// True when something this segment reads of the profile differs between the two states. Computed traits
    /// change with every event (last seen, event count), so a segment about order count is answered again only
    /// when the order count changed, not on every page view.
    /// </summary>
    public bool ProfileInputsChanged(Profile before, Profile after)
    {
        if (ReadsConsent && !ReferenceEquals(before.Consent, after.Consent))
            return true;
        if (ReadsLocation && before.Location != after.Location)
            return true;
        if (ReadsLists && !ReferenceEquals(before.Lists, after.Lists))
            return true;
        foreach (var path in ProfilePaths)
        {
            if (!SameValue(ProfileProperties.Read(before, path), ProfileProperties.Read(after, path)))
                return true;
        }
        return false;
    }

    private static bool SameValue(object? a, object? b) => (a, b) switch
    {
        (JsonElement x, JsonElement y) => x.GetRawText() == y.GetRawText(),
        _ => Equals(a, b),
    };

    public static string TallyPrefixOf(string segmentId, long version) => $"{segmentId}:{version}/";

    public static CompiledSegment Compile(SegmentRecord record, Condition condition)
    {
        var tallied = ImmutableArray.CreateBuilder<TalliedCondition>();
        var paths = ImmutableArray.CreateBuilder<string>();
        bool readsConsent = false, readsLocation = false, readsLists = false;
        Walk(condition);
        return new CompiledSegment
        {
            Record = record,
            Condition = condition,
            Tallied = tallied.ToImmutable(),
            Events = tallied.Select(t => t.Event).ToImmutableHashSet(StringComparer.Ordinal),
            ReadsProfile = paths.Count > 0 || readsConsent || readsLocation || readsLists,
            ProfilePaths = paths.Distinct().ToImmutableArray(),
            ReadsConsent = readsConsent,
            ReadsLocation = readsLocation,
            ReadsLists = readsLists,
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
                case ProfileCondition p:
                    paths.Add(p.Property);
                    break;
                case ConsentCondition:
                    readsConsent = true;
                    break;
                case NearCondition:
                    readsLocation = true;
                    break;
                case ListCondition:
                    readsLists = true;
                    break;
            }
        }
    }
}
