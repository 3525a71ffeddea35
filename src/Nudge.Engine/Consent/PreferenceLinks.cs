using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Nudge.Core.Links;
using Nudge.Storage.Keys;

namespace Nudge.Engine.Consent;

/// <summary>Where people reach Nudge's public pages (the preference center, unsubscribe links); bound to <c>Nudge</c>.</summary>
public sealed class PublicLinkOptions
{
    /// <summary>The absolute http(s) address Nudge is reached at from the internet (<c>Nudge:PublicUrl</c>), optionally with a path.</summary>
    public string PublicUrl { get; set; } = "http://localhost:5080";

    /// <summary>True when <see cref="PublicUrl"/> is an absolute http or https URL.</summary>
    public bool IsValid =>
        Uri.TryCreate(PublicUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}

/// <summary>
/// Builds and checks the signed links of the consent pages: a person's preference center
/// (<c>/preferences/{profileId}?token=</c>) and the RFC 8058 one-click unsubscribe
/// (<c>/unsubscribe/{profileId}?channel=&amp;token=</c>). Tokens never expire: an old email's link keeps working.
/// </summary>
public sealed class PreferenceLinks(KeyStore keys, IOptions<PublicLinkOptions> options)
{
    /// <summary>The <see cref="LinkSigner"/> purpose of preference center links; the value is the profile id.</summary>
    public const string PreferencesPurpose = "preferences";

    /// <summary>The <see cref="LinkSigner"/> purpose of unsubscribe links; the value is <c>{profileId}:{channel}</c>.</summary>
    public const string UnsubscribePurpose = "unsubscribe";

    // A workspace's secret never changes: one signer per workspace for the life of the process.
    private readonly ConcurrentDictionary<string, LinkSigner> _signers = new(StringComparer.Ordinal);

    private readonly Uri _base = Base(options.Value.PublicUrl);

    /// <summary>The person's preference center.</summary>
    public async Task<Uri> PreferencesAsync(string workspaceId, string profileId, CancellationToken ct)
    {
        var token = (await SignerAsync(workspaceId, ct)).Sign(PreferencesPurpose, profileId);
        return new Uri(_base, $"preferences/{Uri.EscapeDataString(profileId)}?token={Uri.EscapeDataString(token)}");
    }

    /// <summary>The one-click unsubscribe link of one channel, for <c>List-Unsubscribe</c>.</summary>
    public async Task<Uri> UnsubscribeAsync(string workspaceId, string profileId, string channel, CancellationToken ct)
    {
        var token = (await SignerAsync(workspaceId, ct)).Sign(UnsubscribePurpose, UnsubscribeValue(profileId, channel));
        return new Uri(_base,
            $"unsubscribe/{Uri.EscapeDataString(profileId)}?channel={Uri.EscapeDataString(channel)}&token={Uri.EscapeDataString(token)}");
    }

    /// <summary>True when <paramref name="token"/> opens the preference center of <paramref name="profileId"/>.</summary>
    public async Task<bool> IsPreferencesTokenAsync(string workspaceId, string profileId, string? token, DateTimeOffset now, CancellationToken ct) =>
        (await SignerAsync(workspaceId, ct)).Verify(PreferencesPurpose, profileId, token, now);

    /// <summary>True when <paramref name="token"/> unsubscribes <paramref name="profileId"/> from <paramref name="channel"/>.</summary>
    public async Task<bool> IsUnsubscribeTokenAsync(
        string workspaceId, string profileId, string channel, string? token, DateTimeOffset now, CancellationToken ct) =>
        (await SignerAsync(workspaceId, ct)).Verify(UnsubscribePurpose, UnsubscribeValue(profileId, channel), token, now);

    private static string UnsubscribeValue(string profileId, string channel) => $"{profileId}:{channel}";

    private async ValueTask<LinkSigner> SignerAsync(string workspaceId, CancellationToken ct)
    {
        if (_signers.TryGetValue(workspaceId, out var signer))
            return signer;
        signer = new LinkSigner(await keys.LinkSecretAsync(workspaceId, ct));
        return _signers.GetOrAdd(workspaceId, signer);
    }

    // Relative links resolve below the base only when it ends with a slash.
    private static Uri Base(string publicUrl) => new(publicUrl.EndsWith('/') ? publicUrl : publicUrl + "/", UriKind.Absolute);
}
