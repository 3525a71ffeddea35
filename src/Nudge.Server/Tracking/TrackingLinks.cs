using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Nudge.Core.Links;
using Nudge.Engine.Consent;
using Nudge.Storage.Keys;

namespace Nudge.Server.Tracking;

/// <summary>
/// The signed links of tracked emails (ADR 0019): the open pixel (<c>/email/open/{id}</c>), click redirects
/// (<c>/email/click/{id}?url=</c>), view in browser (<c>/email/view/{id}</c>), and the address bounces and
/// complaints are posted to (<c>/email/feedback/{workspace}</c>). Each token is an HMAC with the workspace's link
/// secret over the message key (and for a click the target URL), so a link cannot be bent to another message or
/// another target: Nudge redirects only to where its own emails pointed.
/// </summary>
public sealed class TrackingLinks(KeyStore keys, IOptions<PublicLinkOptions> options)
{
    private const string OpenPurpose = "email-open";
    private const string ClickPurpose = "email-click";
    private const string ViewPurpose = "email-view";
    private const string FeedbackPurpose = "email-feedback";

    private readonly ConcurrentDictionary<string, LinkSigner> _signers = new(StringComparer.Ordinal);
    private readonly Uri _base = new(options.Value.PublicUrl.EndsWith('/') ? options.Value.PublicUrl : options.Value.PublicUrl + "/", UriKind.Absolute);

    /// <summary>Where Nudge's public pages start (its public URL, ending in a slash).</summary>
    public Uri Base => _base;

    /// <summary>The links of one message, signed with its workspace's secret.</summary>
    public async Task<MessageLinks> ForMessageAsync(string workspaceId, string outboxId, string messageKey, CancellationToken ct) =>
        new(await SignerAsync(workspaceId, ct), _base, outboxId, messageKey);

    /// <summary>
    /// An unsubscribe link that also names the message it came in, so the message's history can say it was the one
    /// (the token still covers only person and channel; the message is checked to be that person's).
    /// </summary>
    public static Uri Attributed(Uri unsubscribe, string messageId)
    {
        ArgumentNullException.ThrowIfNull(unsubscribe);
        return new Uri(unsubscribe.AbsoluteUri + "&message=" + Uri.EscapeDataString(messageId));
    }

    /// <summary>True for links to Nudge's own pages (unsubscribe, preferences, tracking), which are never rewritten for click tracking.</summary>
    public bool IsOwnPage(string url) =>
        url.StartsWith(_base.AbsoluteUri + "unsubscribe/", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith(_base.AbsoluteUri + "preferences/", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith(_base.AbsoluteUri + "email/", StringComparison.OrdinalIgnoreCase);

    /// <summary>The address bounces (raw MIME) or a provider's webhooks (<paramref name="provider"/>, e.g. postmark) are posted to.</summary>
    public async Task<Uri> FeedbackAsync(string workspaceId, string? provider, CancellationToken ct)
    {
        var token = (await SignerAsync(workspaceId, ct)).Sign(FeedbackPurpose, workspaceId);
        var path = $"email/feedback/{Uri.EscapeDataString(workspaceId)}" + (provider is null ? "" : "/" + provider);
        return new Uri(_base, $"{path}?token={Uri.EscapeDataString(token)}");
    }

    /// <summary>True when <paramref name="token"/> lets its holder post feedback for the workspace.</summary>
    public async Task<bool> IsFeedbackTokenAsync(string workspaceId, string? token, DateTimeOffset now, CancellationToken ct) =>
        (await SignerAsync(workspaceId, ct)).Verify(FeedbackPurpose, workspaceId, token, now);

    private async ValueTask<LinkSigner> SignerAsync(string workspaceId, CancellationToken ct)
    {
        if (_signers.TryGetValue(workspaceId, out var signer))
            return signer;
        signer = new LinkSigner(await keys.LinkSecretAsync(workspaceId, ct));
        return _signers.GetOrAdd(workspaceId, signer);
    }

    /// <summary>The tracking links of one message: built and checked without further I/O.</summary>
    public sealed class MessageLinks
    {
        private readonly LinkSigner _signer;
        private readonly Uri _base;
        private readonly string _id;
        private readonly string _key;

        internal MessageLinks(LinkSigner signer, Uri @base, string id, string key)
        {
            _signer = signer;
            _base = @base;
            _id = id;
            _key = key;
        }

        /// <summary>The open pixel.</summary>
        public string Open() => Link("open", OpenPurpose, _key, "");

        /// <summary>The redirect to <paramref name="url"/>.</summary>
        public string Click(string url) => Link("click", ClickPurpose, ClickValue(url), $"url={Uri.EscapeDataString(url)}&");

        /// <summary>The message in the browser.</summary>
        public string View() => Link("view", ViewPurpose, _key, "");

        public bool IsOpen(string? token, DateTimeOffset now) => _signer.Verify(OpenPurpose, _key, token, now);

        public bool IsClick(string url, string? token, DateTimeOffset now) => _signer.Verify(ClickPurpose, ClickValue(url), token, now);

        public bool IsView(string? token, DateTimeOffset now) => _signer.Verify(ViewPurpose, _key, token, now);

        private string ClickValue(string url) => _key + "\n" + url;

        private string Link(string kind, string purpose, string value, string query) =>
            new Uri(_base, $"email/{kind}/{Uri.EscapeDataString(_id)}?{query}token={Uri.EscapeDataString(_signer.Sign(purpose, value))}").AbsoluteUri;
    }
}
