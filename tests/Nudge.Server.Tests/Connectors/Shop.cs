using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Connectors;

/// <summary>
/// A shop connected to the test's Nudge: posts the stored payloads as the platform would (its headers, its signature
/// made with the connector's secret) and reads back what became of them.
/// </summary>
public sealed class Shop
{
    private readonly NudgeApi _nudge;

    private Shop(NudgeApi nudge, string platform, string secret, JsonObject connector)
    {
        _nudge = nudge;
        Platform = platform;
        Secret = secret;
        Connector = connector;
    }

    public string Platform { get; }

    public string Secret { get; }

    /// <summary>The connector as the API showed it when created.</summary>
    public JsonObject Connector { get; }

    public string Id => (string)Connector["id"]!;

    public string WebhookPath => new Uri((string)Connector["webhookUrl"]!).AbsolutePath;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Connects a new shop (its own domain, so its message ids are its own).</summary>
    public static async Task<Shop> ConnectAsync(NudgeApi nudge, string platform)
    {
        var secret = "secret-" + Guid.NewGuid().ToString("N");
        using var admin = nudge.Admin();
        var response = await admin.PostAsJsonAsync("/api/connectors", new JsonObject
        {
            ["platform"] = platform, ["secret"] = secret, ["shopDomain"] = $"shop-{Guid.NewGuid():N}.example.com",
        }, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return new Shop(nudge, platform, secret, (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!);
    }

    /// <summary>A stored payload, with the given texts replaced (to give a test its own customer).</summary>
    public static string Payload(string file, params (string From, string To)[] replacements)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Connectors", "Payloads", file));
        foreach (var (from, to) in replacements)
            text = text.Replace(from, to, StringComparison.Ordinal);
        return text;
    }

    /// <summary>Posts a webhook as the platform does; <paramref name="signWith"/> overrides the secret (a forgery).</summary>
    public async Task<HttpResponseMessage> SendAsync(string topic, string body, string? deliveryId = null, string? signWith = null)
    {
        using var client = _nudge.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var bytes = Encoding.UTF8.GetBytes(body);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signWith ?? Secret), bytes);
        deliveryId ??= Guid.NewGuid().ToString();
        switch (Platform)
        {
            case "shopify":
                request.Headers.Add("X-Shopify-Topic", topic);
                request.Headers.Add("X-Shopify-Hmac-Sha256", Convert.ToBase64String(mac));
                request.Headers.Add("X-Shopify-Shop-Domain", (string)Connector["shopDomain"]!);
                request.Headers.Add("X-Shopify-API-Version", "2025-10");
                request.Headers.Add("X-Shopify-Webhook-Id", deliveryId);
                request.Headers.Add("X-Shopify-Triggered-At", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                break;
            case "woocommerce":
                request.Headers.Add("X-WC-Webhook-Source", "https://" + (string)Connector["shopDomain"]! + "/");
                request.Headers.Add("X-WC-Webhook-Topic", topic);
                request.Headers.Add("X-WC-Webhook-Resource", topic.Split('.')[0]);
                request.Headers.Add("X-WC-Webhook-Event", topic.Split('.')[1]);
                request.Headers.Add("X-WC-Webhook-Signature", Convert.ToBase64String(mac));
                request.Headers.Add("X-WC-Webhook-ID", "12");
                request.Headers.Add("X-WC-Webhook-Delivery-ID", deliveryId);
                break;
            default:
                // Shopware names the event in the body and its id in source.eventId; only the signature is a header.
                request.Headers.Add("shopware-shop-signature", Convert.ToHexStringLower(mac));
                request.Headers.Add("sw-version", "6.6.10.0");
                break;
        }
        return await client.SendAsync(request, Ct);
    }

    /// <summary>The connector's deliveries once none is waiting or being processed (newest first).</summary>
    public async Task<JsonArray> SettledDeliveriesAsync(int expected)
    {
        using var admin = _nudge.Admin();
        return await Eventually.ReadUntilAsync(
            async ct => (await admin.GetFromJsonAsync<JsonArray>($"/api/connectors/{Id}/deliveries", ct))!,
            d => d.Count >= expected && d.All(x => (string?)x!["status"] is not ("pending" or "processing")),
            Ct);
    }

    /// <summary>A random id in Shopify's style, so each test has its own customer.</summary>
    public static string NewNumericId() => Random.Shared.NextInt64(100_000_000_000_000, 999_999_999_999_999).ToString(CultureInfo.InvariantCulture);
}
