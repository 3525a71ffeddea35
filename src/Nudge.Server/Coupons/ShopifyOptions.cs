namespace Nudge.Server.Coupons;

/// <summary>How Nudge reaches Shopify's Admin API (<c>Nudge:Shopify</c>).</summary>
public sealed class ShopifyOptions
{
    /// <summary>The Admin API version in request paths.</summary>
    public string ApiVersion { get; set; } = "2024-10";

    /// <summary>
    /// Where the Admin API is; unset, <c>https://{shop domain}/</c>. Set for a local stand-in of Shopify (tests, a proxy).
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>How long one request may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often to ask whether a batch of codes is done, and how many times at most.</summary>
    public TimeSpan BatchPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times to ask whether a batch is done before giving up (the codes stay unpublished and are tried again next time).</summary>
    public int BatchPollAttempts { get; set; } = 60;
}
