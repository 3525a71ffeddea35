using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Nudge.Core.Connectors;
using Nudge.Storage.Connectors;

namespace Nudge.Server.Connectors;

/// <summary>
/// <c>POST /webhooks/{platform}/{connectorId}</c>: where shops post their webhooks. The signature is checked over the raw
/// body, the delivery is written durably and the shop gets its 200 at once; the connector worker maps it afterwards
/// (ADR 0016). A delivery the shop sends again is stored once.
/// </summary>
internal static partial class ShopWebhooksApi
{
    public const string RatePolicy = "connector-webhooks";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/webhooks/{platform}/{connectorId}", ReceiveAsync).WithTags("Shop webhooks").RequireRateLimiting(RatePolicy)
            .WithName("ShopWebhook")
            .WithSummary("A shop's webhook (Shopify, WooCommerce or Shopware), signed with the connector's secret; stored, answered, then processed")
            // No Accepts metadata: it would make routing answer 415 to other content types, and WooCommerce pings with a form.
            .Produces<WebhookReceipt>()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static async Task<IResult> ReceiveAsync(
        HttpContext http, string platform, string connectorId, ConnectorStore connectors, DeliveryStore deliveries, ConnectorSignal signal,
        IOptions<ConnectorOptions> options, TimeProvider time, ILogger<ConnectorWorker> logger)
    {
        var ct = http.RequestAborted;
        if (ShopPlatforms.Parse(platform) is not { } shop || await connectors.FindAsync(connectorId, ct) is not { } connector || connector.Platform != shop)
        {
            return TypedResults.Problem(detail: $"no {platform} connector with id '{connectorId}'", statusCode: StatusCodes.Status404NotFound,
                title: "Not found", extensions: new Dictionary<string, object?> { ["field"] = "connectorId" });
        }

        var body = await ReadBodyAsync(http.Request, options.Value.MaxBodyBytes, ct);
        if (body is null)
        {
            return TypedResults.Problem(detail: $"the body is larger than {options.Value.MaxBodyBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Payload too large");
        }

        var headers = http.Request.Headers;
        var signature = headers[WebhookSignatures.Header(shop)].ToString();
        // WooCommerce pings a new webhook's URL once, unsigned, with a form body 'webhook_id=N': it must get a 2xx or the
        // webhook cannot be saved. Nothing is stored for it.
        if (shop == ShopPlatform.WooCommerce && signature.Length == 0 && WooCommercePing().IsMatch(Encoding.UTF8.GetString(body)))
            return TypedResults.Ok();

        if (!WebhookSignatures.IsValid(shop, connector.Secret, body, signature))
        {
            Log.SignatureRejected(logger, connector.Id, shop.Name());
            return TypedResults.Problem(
                detail: $"the {WebhookSignatures.Header(shop)} header is missing or is not the body's HMAC-SHA256 with the connector's secret",
                statusCode: StatusCodes.Status401Unauthorized, title: "Invalid signature");
        }

        var topic = Topic(shop, headers, body);
        var key = DeliveryKey(shop, headers, body);
        var text = Encoding.UTF8.GetString(body);
        var received = await deliveries.ReceiveAsync(connector.Id, connector.WorkspaceId, key, topic, text, time.GetUtcNow(), ct);
        if (received.IsNew)
            signal.Notify();
        else
            Log.DuplicateDelivery(logger, connector.Id, key);
        return TypedResults.Ok(new WebhookReceipt(received.DeliveryId, !received.IsNew));
    }

    /// <summary>The topic: a header on Shopify and WooCommerce, the body's <c>data.event</c> on Shopware.</summary>
    private static string Topic(ShopPlatform platform, IHeaderDictionary headers, byte[] body)
    {
        var topic = platform switch
        {
            ShopPlatform.Shopify => headers["X-Shopify-Topic"].ToString(),
            ShopPlatform.WooCommerce => headers["X-WC-Webhook-Topic"].ToString(),
            _ => ShopwareEvent(body),
        };
        return string.IsNullOrWhiteSpace(topic) ? "(none)" : topic.Trim().ToLowerInvariant();
    }

    /// <summary>
    /// The shop's id for this delivery, which stays the same when it sends the delivery again: Shopify's webhook id,
    /// WooCommerce's delivery id, Shopware's event id; a hash of the body when there is none.
    /// </summary>
    private static string DeliveryKey(ShopPlatform platform, IHeaderDictionary headers, byte[] body)
    {
        var id = platform switch
        {
            ShopPlatform.Shopify => headers["X-Shopify-Webhook-Id"].ToString(),
            ShopPlatform.WooCommerce => headers["X-WC-Webhook-Delivery-ID"].ToString(),
            _ => ShopwareEventId(body),
        };
        return string.IsNullOrWhiteSpace(id) || id.Length > 200 ? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body)) : id.Trim();
    }

    private static string? ShopwareEvent(byte[] body) =>
        Parse(body) is { } root && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("event", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;

    private static string? ShopwareEventId(byte[] body) =>
        Parse(body) is { } root && root.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.Object
            && source.TryGetProperty("eventId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    private static JsonElement? Parse(byte[] body)
    {
        try
        {
            var root = JsonSerializer.Deserialize<JsonElement>(body);
            return root.ValueKind == JsonValueKind.Object ? root : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The raw body, or null when it is larger than <paramref name="max"/> bytes.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int max, CancellationToken ct)
    {
        if (request.ContentLength > max)
            return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    [GeneratedRegex("^webhook_id=[0-9]+$")]
    private static partial Regex WooCommercePing();
}
