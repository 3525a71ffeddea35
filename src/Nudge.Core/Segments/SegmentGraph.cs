using Nudge.Core.Ingestion;

namespace Nudge.Core.Segments;

/// <summary>
/// Segments that refer to segments: every reference must name an existing segment and the references may not
/// form a cycle, because a segment in a cycle would have no defined membership.
/// </summary>
public static class SegmentGraph
{
    /// <summary>
    /// Checks a new or changed definition against the segments that exist: each reference to an unknown segment
    /// and each reference that leads back to <paramref name="segmentId"/> is an error on the referring node.
    /// </summary>
    /// <param name="segmentId">The segment being saved; a reference to itself is a cycle.</param>
    /// <param name="condition">Its new condition, which replaces any stored one.</param>
    /// <param name="existing">The stored condition of a segment, or null when there is no such segment.</param>
    public static IReadOnlyList<FieldError> Check(string segmentId, Condition condition, Func<string, Condition?> existing)
    {
        var errors = new List<FieldError>();
        foreach (var (node, path) in SegmentReferences.Nodes(condition, "condition"))
        {
            if (node is not SegmentMembershipCondition { SegmentId: var target })
                continue;

            if (target == segmentId)
            {
                errors.Add(new FieldError(path, $"segment {Arrows([segmentId, segmentId])} forms a cycle"));
                continue;
            }

            if (existing(target) is not { } targetCondition)
            {
                errors.Add(new FieldError(path, $"unknown segment '{target}'"));
                continue;
            }

            if (WayBack(target, targetCondition, segmentId, existing) is { } way)
                errors.Add(new FieldError(path, $"segment {Arrows([segmentId, .. way])} forms a cycle"));
        }

        return errors;
    }

    /// <summary>
    /// The segment ids ordered so that every segment comes after the segments it refers to; among segments free
    /// to go next, ids are taken in ordinal order so the order is the same on every run. References to segments
    /// not given are ignored. Segments caught in a cycle (which <see cref="Check"/> keeps out) and those that
    /// depend on them come last, in ordinal order, so one bad definition does not stop the others.
    /// </summary>
    public static IReadOnlyList<string> EvaluationOrder(IReadOnlyDictionary<string, Condition> segments)
    {
        var unmet = new Dictionary<string, int>(StringComparer.Ordinal);
        var dependents = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (id, condition) in segments)
        {
            var dependencies = SegmentReferences.SegmentsOf(condition).Where(segments.ContainsKey).ToList();
            unmet[id] = dependencies.Count;
            foreach (var dependency in dependencies)
            {
                if (!dependents.TryGetValue(dependency, out var list))
                    dependents[dependency] = list = [];
                list.Add(id);
            }
        }

        var ready = new PriorityQueue<string, string>(StringComparer.Ordinal);
        foreach (var (id, count) in unmet)
        {
            if (count == 0)
                ready.Enqueue(id, id);
        }

        var order = new List<string>(segments.Count);
        while (ready.TryDequeue(out var id, out _))
        {
            order.Add(id);
            foreach (var dependent in dependents.GetValueOrDefault(id) ?? [])
            {
                if (--unmet[dependent] == 0)
                    ready.Enqueue(dependent, dependent);
            }
        }

        if (order.Count < segments.Count)
            order.AddRange(unmet.Where(entry => entry.Value > 0).Select(entry => entry.Key).Order(StringComparer.Ordinal));
        return order;
    }

    /// <summary>A chain of references from <paramref name="from"/> to <paramref name="to"/>, both included, or null when there is none.</summary>
    private static List<string>? WayBack(string from, Condition fromCondition, string to, Func<string, Condition?> existing)
    {
        var cameFrom = new Dictionary<string, string>(StringComparer.Ordinal) { [from] = from };
        var pending = new Stack<(string Id, Condition Condition)>();
        pending.Push((from, fromCondition));
        while (pending.TryPop(out var current))
        {
            foreach (var next in SegmentReferences.SegmentsOf(current.Condition).Order(StringComparer.Ordinal))
            {
                if (!cameFrom.TryAdd(next, current.Id))
                    continue;
                // Stops on reaching the segment being saved: its stored definition is being replaced, so it is never followed.
                if (next == to)
                    return Chain(cameFrom, from, to);
                if (existing(next) is { } nextCondition)
                    pending.Push((next, nextCondition));
            }
        }

        return null;
    }

    private static List<string> Chain(Dictionary<string, string> cameFrom, string from, string to)
    {
        var chain = new List<string> { to };
        for (var id = to; id != from; id = cameFrom[id])
            chain.Add(cameFrom[id]);
        chain.Reverse();
        return chain;
    }

    private static string Arrows(IEnumerable<string> ids) => string.Join(" -> ", ids.Select(id => $"'{id}'"));
}
