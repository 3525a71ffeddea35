using System.Collections.Immutable;

namespace Nudge.Core.Segments;

/// <summary>
/// The other segments and the static lists a condition refers to: the engine re-evaluates a segment when one
/// of them changes, and <see cref="SegmentGraph"/> keeps references free of cycles.
/// </summary>
public static class SegmentReferences
{
    /// <summary>The ids of the segments the condition tests membership of, at any depth.</summary>
    public static IReadOnlySet<string> SegmentsOf(Condition condition) =>
        Nodes(condition, "condition").Select(node => node.Condition).OfType<SegmentMembershipCondition>()
            .Select(node => node.SegmentId).ToImmutableHashSet(StringComparer.Ordinal);

    /// <summary>The ids of the static lists the condition tests membership of, at any depth.</summary>
    public static IReadOnlySet<string> ListsOf(Condition condition) =>
        Nodes(condition, "condition").Select(node => node.Condition).OfType<ListCondition>()
            .Select(node => node.ListId).ToImmutableHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Every node of the tree with its JSON path, in document order. The tree mirrors the JSON it was read from
    /// node for node, so the paths are the ones <see cref="SegmentDefinitionReader"/> names errors by.
    /// </summary>
    internal static IEnumerable<(Condition Condition, string Path)> Nodes(Condition condition, string path)
    {
        yield return (condition, path);

        var children = condition switch
        {
            AllOf all => all.Conditions.Select((child, i) => (child, $"{path}.and[{i}]")),
            AnyOf any => any.Conditions.Select((child, i) => (child, $"{path}.or[{i}]")),
            Not not => [(not.Inner, $"{path}.not")],
            _ => [],
        };

        foreach (var (child, childPath) in children)
        {
            foreach (var node in Nodes(child, childPath))
                yield return node;
        }
    }
}
