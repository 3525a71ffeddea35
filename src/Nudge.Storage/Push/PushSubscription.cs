namespace Nudge.Storage.Push;

/// <summary>A browser that agreed to receive a shop's push notifications.</summary>
/// <param name="WorkspaceId">The shop.</param>
/// <param name="ProfileId">The person, as identity resolution named them when the browser subscribed.</param>
/// <param name="Endpoint">The push service URL messages are posted to; unique per browser and shop.</param>
/// <param name="P256dh">The browser's P-256 public key (base64url, 65 bytes decoded).</param>
/// <param name="Auth">The browser's authentication secret (base64url, 16 bytes decoded).</param>
/// <param name="UserAgent">The browser, as it said when subscribing.</param>
/// <param name="CreatedAt">When it subscribed (or last subscribed again).</param>
/// <param name="LastSuccessAt">When a push service last accepted a message for it.</param>
public sealed record PushSubscription(
    string WorkspaceId,
    string ProfileId,
    string Endpoint,
    string P256dh,
    string Auth,
    string? UserAgent,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSuccessAt = null);
