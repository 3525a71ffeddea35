using System.Collections.Concurrent;
using Nudge.Storage.Push;

namespace Nudge.Channels.Push;

/// <summary>
/// Hands out each workspace's VAPID key pair, creating it on first use. A pair never changes once stored (browsers
/// subscribed with its public half), so it is read from the database once per process.
/// </summary>
public sealed class WorkspaceVapidKeys(VapidKeyStore store)
{
    private readonly ConcurrentDictionary<string, VapidKeys> _keys = new(StringComparer.Ordinal);

    /// <summary>The workspace's key pair.</summary>
    public async ValueTask<VapidKeys> GetAsync(string workspaceId, CancellationToken ct)
    {
        if (_keys.TryGetValue(workspaceId, out var cached))
            return cached;
        var (publicKey, privateKey) = await store.GetOrCreateAsync(workspaceId, static () =>
        {
            var fresh = VapidKeys.Generate();
            return (fresh.PublicKeyText, fresh.PrivateKeyText);
        }, ct);
        return _keys.GetOrAdd(workspaceId, VapidKeys.FromText(publicKey, privateKey));
    }
}
