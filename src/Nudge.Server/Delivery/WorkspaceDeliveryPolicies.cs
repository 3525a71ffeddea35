using System.Collections.Concurrent;
using Nudge.Core.Delivery;
using Nudge.Storage.Delivery;

namespace Nudge.Server.Delivery;

/// <summary>
/// The delivery policy of each workspace, made from its stored settings once and kept, so preparing a message reads no
/// settings from the database (ADR 0020). A change through the API replaces the workspace's policy at once on the
/// server that took it; other servers of a cluster pick it up within <see cref="Freshness"/>.
/// </summary>
public sealed class WorkspaceDeliveryPolicies(DeliveryPolicyStore store, TimeProvider time)
{
    /// <summary>How long a kept policy is used before the settings are read again (for changes made on another server).</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The policy that applies to the workspace's messages now.</summary>
    public async Task<DeliveryPolicy> ForAsync(string workspaceId, CancellationToken ct)
    {
        while (true)
        {
            var now = time.GetUtcNow();
            // Lazy: concurrent callers for one workspace share a single read of its settings.
            var entry = _entries.GetOrAdd(workspaceId, id => new Entry(new Lazy<Task<DeliveryPolicy>>(() => LoadAsync(id)), now));
            if (now - entry.LoadedAt >= Freshness)
            {
                _entries.TryRemove(KeyValuePair.Create(workspaceId, entry));
                continue;
            }
            try
            {
                return await entry.Policy.Value.WaitAsync(ct);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // A failed read is not kept: the next message tries again.
                _entries.TryRemove(KeyValuePair.Create(workspaceId, entry));
                throw;
            }
        }
    }

    /// <summary>
    /// Drops the workspace's kept policy after its settings changed. A read that started before the change keeps
    /// serving only the callers already waiting for it; everyone after reads the new settings.
    /// </summary>
    public void Forget(string workspaceId) => _entries.TryRemove(workspaceId, out _);

    // Not the caller's token: the read is shared by every caller waiting for this workspace.
    private async Task<DeliveryPolicy> LoadAsync(string workspaceId) =>
        new((await store.GetAsync(workspaceId, CancellationToken.None)).Settings);

    private sealed record Entry(Lazy<Task<DeliveryPolicy>> Policy, DateTimeOffset LoadedAt);
}
