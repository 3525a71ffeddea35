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
public sealed class SegmentCatalog(SegmentStore store)
{
    private readonly SemaphoreSlim _changes = new(1, 1);
    private ImmutableDictionary<string, WorkspaceSegments> _workspaces = ImmutableDictionary<string, WorkspaceSegments>.Empty;

    public WorkspaceSegments For(string workspaceId) =>
        Volatile.Read(ref _workspaces).GetValueOrDefault(workspaceId) ?? WorkspaceSegments.Empty;

    /// <summary>Runs a change of definitions alone, then reloads, so no grain sees a later change before an earlier one.</summary>
    public async Task<T> ChangeAsync<T>(Func<Task<T>> change, CancellationToken ct)
    {
        await _changes.WaitAsync(ct);
        try
        {
            var result = await change();
            await LoadAsync(ct);
            return result;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Reads every definition again (after a build finished, or to pick up another process's change).</summary>
    public async Task ReloadAsync(CancellationToken ct)
    {
        await _changes.WaitAsync(ct);
        try
        {
            await LoadAsync(ct);
        }
        finally
        {
            _changes.Release();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var records = await store.ListAllAsync(ct);
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
