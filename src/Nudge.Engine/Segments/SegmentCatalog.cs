using System.Collections.Immutable;
using System.Text.Json;
using Nudge.Core.Segments;
using Nudge.Storage.Segments;

namespace Nudge.Engine.Segments;

/// <summary>
/// The live segment definitions of every workspace, compiled, as grains read them on every batch. Reloaded
/// whole after each change; changes are serialized so that snapshots only grow in build boundary order,
/// which lets a grain tell from one number which segments it has been counting for (ADR 0007).
/// </summary>
public sealed class SegmentCatalog
{
    private readonly SegmentStore _store;
    private readonly CatalogChanges _changes;

    private ImmutableDictionary<string, WorkspaceSegments> _workspaces = ImmutableDictionary<string, WorkspaceSegments>.Empty;

    public WorkspaceSegments For(string workspaceId) =>
        Volatile.Read(ref _workspaces).GetValueOrDefault(workspaceId) ?? WorkspaceSegments.Empty;

    public SegmentCatalog(SegmentStore store)
    {
        _store = store;
        _changes = new CatalogChanges(LoadAsync);
    }

    /// <summary>Runs a change of definitions alone, then reloads, so grains see changes in order.</summary>
    public Task<T> ChangeAsync<T>(Func<Task<T>> change, CancellationToken ct) => _changes.ChangeAsync(change, ct);

    /// <summary>Reads every definition again (at start, after a build finished, or to pick up another process's change).</summary>
    public Task ReloadAsync(CancellationToken ct) => _changes.ReloadAsync(ct);

    private async Task LoadAsync(CancellationToken ct)
    {
        var records = await _store.ListAllAsync(ct);
        var workspaces = ImmutableDictionary.CreateBuilder<string, WorkspaceSegments>(StringComparer.Ordinal);
        foreach (var group in records.GroupBy(r => r.WorkspaceId, StringComparer.Ordinal))
        {
            var compiled = new Dictionary<string, CompiledSegment>(StringComparer.Ordinal);
            foreach (var record in group)
            {
                // Definitions were validated when they were saved; one that no longer reads is left out, not fatal.
                using var json = JsonDocument.Parse(record.Definition);
                if (SegmentDefinitionReader.Read(json.RootElement).Definition is { } definition)
                    compiled[record.Id] = CompiledSegment.Compile(record, definition.Condition);
            }

            var order = SegmentGraph.EvaluationOrder(compiled.ToDictionary(c => c.Key, c => c.Value.Condition, StringComparer.Ordinal));
            workspaces[group.Key] = new WorkspaceSegments(order.Where(compiled.ContainsKey).Select(id => compiled[id]).ToList());
        }
        Volatile.Write(ref _workspaces, workspaces.ToImmutable());
    }
}
