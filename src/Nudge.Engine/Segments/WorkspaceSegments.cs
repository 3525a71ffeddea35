using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Nudge.Engine.Segments;

/// <summary>The segments of one workspace as the engine sees them at one moment; immutable, swapped whole on reload.</summary>
public sealed class WorkspaceSegments
{
    public static WorkspaceSegments Empty { get; } = new([]);

    public WorkspaceSegments(IReadOnlyList<CompiledSegment> inEvaluationOrder)
    {
        InOrder = inEvaluationOrder;
        ById = inEvaluationOrder.ToImmutableDictionary(s => s.Id, StringComparer.Ordinal);
        ByEvent = inEvaluationOrder
            .SelectMany(s => s.Events.Select(name => (name, s)))
            .GroupBy(x => x.name, StringComparer.Ordinal)
            .ToImmutableDictionary(g => g.Key, g => g.Select(x => x.s).Distinct().ToImmutableArray(), StringComparer.Ordinal);
        MaxBuildThrough = inEvaluationOrder.Count == 0 ? 0 : inEvaluationOrder.Max(s => s.BuildThrough);
        _tallies = inEvaluationOrder.SelectMany(s => s.Tallied.Select(t => KeyValuePair.Create(t.TallyKey, (s, t))))
            .ToFrozenDictionary(StringComparer.Ordinal);
        _names = inEvaluationOrder.SelectMany(s => s.Tallied.Select(t => t.TallyKey).Append(s.Id))
            .Distinct(StringComparer.Ordinal).ToFrozenDictionary(n => n, StringComparer.Ordinal);
    }

    private readonly FrozenDictionary<string, string> _names;
    private readonly FrozenDictionary<string, (CompiledSegment Segment, TalliedCondition Condition)> _tallies;

    /// <summary>Dependencies before the segments that read them.</summary>
    public IReadOnlyList<CompiledSegment> InOrder { get; }

    public ImmutableDictionary<string, CompiledSegment> ById { get; }

    /// <summary>The segments an event of each name can affect.</summary>
    public ImmutableDictionary<string, ImmutableArray<CompiledSegment>> ByEvent { get; }

    /// <summary>
    /// The catalog's own instance of a segment id or tally key read from the store, so that a million awake profiles
    /// share one copy of each name instead of holding one each; other text is returned as it is.
    /// </summary>
    public string Shared(string name) => _names.GetValueOrDefault(name, name);

    /// <summary>The segment version and condition a tally key belongs to; false for a deleted segment's or an earlier version's key.</summary>
    public bool TryGetTally(string key, [NotNullWhen(true)] out CompiledSegment? segment, [NotNullWhen(true)] out TalliedCondition? condition)
    {
        var found = _tallies.TryGetValue(key, out var tally);
        (segment, condition) = tally;
        return found;
    }

    /// <summary>The newest build boundary: a profile whose grain saw this catalog has counted every event after it.</summary>
    public long MaxBuildThrough { get; }
}
