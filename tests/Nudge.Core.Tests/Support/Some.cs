using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;
using Nudge.Core.Profiles;

namespace Nudge.Core.Tests.Support;

/// <summary>Test data: Segment messages as clients send them, identity keys, logged events and profiles.</summary>
internal static class Some
{
    public const string Workspace = "ws_shop";
    public const string ProfileId = "prf_ada";

    /// <summary>Where simulated time starts.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    private static long _messageIds;

    public static string MessageId() => "msg_" + Interlocked.Increment(ref _messageIds).ToString(CultureInfo.InvariantCulture);

    public static string Iso(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    // ---- Segment messages, as JSON the client sends --------------------------------------------------

    /// <summary>A message of the given call type with just enough fields to be valid.</summary>
    public static JsonObject Call(string type, string? userId = "user_1", string? anonymousId = null)
    {
        var body = new JsonObject { ["type"] = type, ["messageId"] = MessageId() };
        if (userId is not null)
            body["userId"] = userId;
        if (anonymousId is not null)
            body["anonymousId"] = anonymousId;

        switch (type)
        {
            case "track":
                body["event"] = "Product Viewed";
                break;
            case "page" or "screen":
                body["name"] = "Home";
                break;
            case "group":
                body["groupId"] = "grp_1";
                break;
            case "alias":
                body["previousId"] = "anon_1";
                break;
        }

        return body;
    }

    public static JsonObject TrackCall(string eventName = "Product Viewed", string? userId = "user_1", string? anonymousId = null)
    {
        var body = Call("track", userId, anonymousId);
        body["event"] = eventName;
        return body;
    }

    public static JsonObject IdentifyCall(string? userId = "user_1", string? anonymousId = null, JsonObject? traits = null)
    {
        var body = Call("identify", userId, anonymousId);
        if (traits is not null)
            body["traits"] = traits;
        return body;
    }

    /// <summary>Parses a message that is expected to be valid, as the single-call endpoints would.</summary>
    public static IncomingMessage Incoming(JsonObject body)
    {
        var parsed = MessageParser.Parse(Json(body), "", null, Start, null, MessageId);
        Assert.Empty(parsed.Errors);
        return parsed.Message!;
    }

    public static JsonElement Json(JsonNode? node) => JsonSerializer.SerializeToElement(node);

    // ---- Identity ------------------------------------------------------------------------------------

    public static IdentityKey UserId(string value = "user_1") => new(IdentityKind.UserId, value);

    public static IdentityKey AnonymousId(string value = "anon_1") => new(IdentityKind.AnonymousId, value);

    public static IdentityKey Email(string value = "ada@example.com") => new(IdentityKind.Email, value);

    public static IdentityKey Phone(string value = "+4915123456789") => new(IdentityKind.Phone, value);

    // ---- Logged events and profiles, for the projection ------------------------------------------------

    public static Profile Profile(string id = ProfileId) => Core.Profiles.Profile.Empty(id, Workspace);

    public static LoggedEventBuilder Event(MessageType type, string? name = null, JsonObject? body = null) =>
        new(type, name, body ?? []);

    public static LoggedEventBuilder Identify(JsonObject traits) =>
        Event(MessageType.Identify, body: new JsonObject { ["traits"] = traits });

    public static LoggedEventBuilder Track(string name, JsonObject? properties = null) =>
        Event(MessageType.Track, name, new JsonObject { ["event"] = name, ["properties"] = properties ?? [] });

    public static LoggedEventBuilder Page(string name = "Home") =>
        Event(MessageType.Page, name, new JsonObject { ["name"] = name });

    public static LoggedEventBuilder ProductViewed(string productId = "sku_1", string name = "Linen shirt") =>
        Track("Product Viewed", new JsonObject { ["product_id"] = productId, ["name"] = name, ["price"] = 39.90m });

    public static LoggedEventBuilder ProductAdded(string productId = "sku_1", string name = "Linen shirt") =>
        Track("Product Added", new JsonObject { ["product_id"] = productId, ["name"] = name, ["price"] = 39.90m, ["quantity"] = 1 });

    public static LoggedEventBuilder OrderCompleted(string orderId = "ord_1", decimal revenue = 100m, string currency = "EUR") =>
        Track("Order Completed", new JsonObject { ["order_id"] = orderId, ["revenue"] = revenue, ["currency"] = currency });

    /// <summary>A refund of <paramref name="amount"/>, or of the whole order when null.</summary>
    public static LoggedEventBuilder OrderRefunded(string orderId = "ord_1", decimal? amount = null)
    {
        var properties = new JsonObject { ["order_id"] = orderId };
        if (amount is not null)
            properties["total"] = amount;
        return Track("Order Refunded", properties);
    }

    public static LoggedEventBuilder OrderCancelled(string orderId = "ord_1") =>
        Track("Order Cancelled", new JsonObject { ["order_id"] = orderId });
}
