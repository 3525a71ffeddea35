using System.Security.Cryptography;
using System.Text;
using Nudge.Channels.Webhooks;
using Nudge.Storage.Keys;

namespace Nudge.Server.Webhooks;

/// <summary>
/// Each workspace's webhook signing secret (<c>whsec_...</c>), derived from its link secret with HMAC under a purpose
/// of its own: receivers can verify Nudge's webhooks with it, and knowing it reveals nothing about the key that signs
/// unsubscribe and preference links.
/// </summary>
public sealed class WorkspaceWebhookSecrets(KeyStore keys)
{
    private static readonly byte[] Purpose = Encoding.UTF8.GetBytes("nudge webhook signing v1");

    public async Task<string> SecretAsync(string workspaceId, CancellationToken ct) =>
        WebhookSignature.SecretPrefix + Convert.ToBase64String(HMACSHA256.HashData(await keys.LinkSecretAsync(workspaceId, ct), Purpose));
}
