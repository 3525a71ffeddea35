using System.Collections.Immutable;
using System.Text.Json;
using Nudge.Core.Flows;
using Nudge.Storage.Flows;

namespace Nudge.Engine.Flows;

/// <summary>
/// Every flow version of every workspace, read, as grains use them on every event: the live flows whose triggers
/// they check, and the versions runs in progress follow. Reloaded whole after each change through the API.
/// </summary>
public sealed class FlowCatalog
{
    private readonly FlowStore _store;
    private readonly CatalogChanges _changes;

    private Snapshot _snapshot = Snapshot.Empty;

    public FlowCatalog(FlowStore store)
    {
        _store = store;
        _changes = new CatalogChanges(LoadAsync);
    }

    /// <summary>The live flows of a workspace, highest priority first.</summary>
    public IReadOnlyList<LiveFlow> LiveFlows(string workspaceId) =>
        Volatile.Read(ref _snapshot).Live.GetValueOrDefault(workspaceId) ?? [];

    /// <summary>True when the workspace has any flow at all (live, paused or archived runs may still be going).</summary>
    public bool HasFlows(string workspaceId) => Volatile.Read(ref _snapshot).Workspaces.Contains(workspaceId);

    /// <summary>Every live flow of every workspace, with its workspace.</summary>
    public IEnumerable<(string WorkspaceId, LiveFlow Flow)> AllLive() =>
        Volatile.Read(ref _snapshot).Live.SelectMany(w => w.Value.Select(f => (w.Key, f)));

    /// <summary>A live flow by id, or null when it is not live.</summary>
    public LiveFlow? Live(string workspaceId, string flowId) => LiveFlows(workspaceId).FirstOrDefault(f => f.Id == flowId);

    /// <summary>One version's definition, or null when it is unknown (or no longer reads).</summary>
    public FlowDefinition? Version(string flowId, int version) =>
        Volatile.Read(ref _snapshot).Versions.GetValueOrDefault((flowId, version));

    /// <summary>
    /// The version a run on <paramref name="version"/> follows now: the newest later version whose edit moved the runs
    /// in progress and which still has the run's step; the run's own version otherwise.
    /// </summary>
    public int FollowedVersion(string flowId, int version, string step)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        var moves = snapshot.MoveVersions.TryGetValue(flowId, out var found) ? found : [];
        for (var i = moves.Length - 1; i >= 0 && moves[i] > version; i--)
        {
            if (snapshot.Versions.GetValueOrDefault((flowId, moves[i]))?.Steps.ContainsKey(step) == true)
                return moves[i];
        }
        return version;
    }

    /// <summary>Runs a change of definitions alone, then reloads, so grains see changes in order.</summary>
    public Task<T> ChangeAsync<T>(Func<Task<T>> change, CancellationToken ct) => _changes.ChangeAsync(change, ct);

    /// <summary>Reads every definition again (at start, after a build finished, or to pick up another process's change).</summary>
    public Task ReloadAsync(CancellationToken ct) => _changes.ReloadAsync(ct);

    private async Task LoadAsync(CancellationToken ct)
    {
        var versions = ImmutableDictionary.CreateBuilder<(string, int), FlowDefinition>();
        var moves = ImmutableDictionary.CreateBuilder<string, ImmutableArray<int>>(StringComparer.Ordinal);
        var live = new Dictionary<string, List<LiveFlow>>(StringComparer.Ordinal);
        var workspaces = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var flow in await _store.ListAllAsync(ct))
        {
            workspaces.Add(flow.WorkspaceId);
            var flowMoves = ImmutableArray.CreateBuilder<int>();
            foreach (var version in await _store.VersionsAsync(flow.Id, ct))
            {
                // Definitions were validated when saved; one that no longer reads is left out, not fatal.
                using var json = JsonDocument.Parse(version.Definition);
                if (FlowDefinitionReader.Read(json.RootElement).Definition is { } definition)
                    versions[(flow.Id, version.Version)] = definition;
                if (version.MoveRuns)
                    flowMoves.Add(version.Version);
            }
            moves[flow.Id] = flowMoves.ToImmutable();

            if (flow.Status == FlowRecord.Live && flow.LiveVersion is { } liveVersion && versions.TryGetValue((flow.Id, liveVersion), out var current))
            {
                if (!live.TryGetValue(flow.WorkspaceId, out var list))
                    live[flow.WorkspaceId] = list = [];
                list.Add(new LiveFlow(flow.Id, liveVersion, current));
            }
        }
        Volatile.Write(ref _snapshot, new Snapshot(
            live.ToImmutableDictionary(p => p.Key, p => (IReadOnlyList<LiveFlow>)[.. p.Value.OrderByDescending(f => f.Definition.Priority).ThenBy(f => f.Id, StringComparer.Ordinal)]),
            versions.ToImmutable(), moves.ToImmutable(), workspaces.ToImmutable()));
    }

    private sealed record Snapshot(
        ImmutableDictionary<string, IReadOnlyList<LiveFlow>> Live,
        ImmutableDictionary<(string FlowId, int Version), FlowDefinition> Versions,
        ImmutableDictionary<string, ImmutableArray<int>> MoveVersions,
        ImmutableHashSet<string> Workspaces)
    {
        public static Snapshot Empty { get; } = new(
            ImmutableDictionary<string, IReadOnlyList<LiveFlow>>.Empty,
            ImmutableDictionary<(string, int), FlowDefinition>.Empty,
            ImmutableDictionary<string, ImmutableArray<int>>.Empty,
            ImmutableHashSet<string>.Empty);
    }
}

/// <summary>A flow whose trigger starts runs, with the version they start on.</summary>
public sealed record LiveFlow(string Id, int Version, FlowDefinition Definition);
