using System.Text.Json.Nodes;

namespace Nudge.Server.Tests.Support;

/// <summary>Test data: Segment messages as a tracker would send them.</summary>
public static class Some
{
    public static string Id(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static JsonObject Track(string eventName, string? userId = null, string? anonymousId = null, JsonObject? properties = null, string? messageId = null) =>
        Message("track", userId, anonymousId, messageId, new() { ["event"] = eventName, ["properties"] = properties ?? new JsonObject() });

    public static JsonObject Identify(string? userId = null, string? anonymousId = null, JsonObject? traits = null, string? messageId = null) =>
        Message("identify", userId, anonymousId, messageId, new() { ["traits"] = traits ?? new JsonObject() });

    /// <summary>
    /// A time zone (IANA Etc/GMT) where it is early afternoon right now: outside the SMS and push quiet hours
    /// (21:00 to 09:00 local), so a test that sends now does not depend on the hour it runs at.
    /// </summary>
    public static string AfternoonZone()
    {
        var hoursAhead = 14 - DateTime.UtcNow.Hour;
        if (hoursAhead > 14)
            hoursAhead -= 24;
        return EtcZone(hoursAhead);
    }

    /// <summary>
    /// A time zone (IANA Etc/GMT) where it is between 02:00 and 03:00 right now: inside the default SMS and push quiet
    /// hours (21:00 to 09:00 local) whatever the hour the test runs at.
    /// </summary>
    public static string NightZone()
    {
        var hoursAhead = 2 - DateTime.UtcNow.Hour;
        if (hoursAhead < -12)
            hoursAhead += 24;
        return EtcZone(hoursAhead);
    }

    // Etc/GMT signs are inverted: Etc/GMT-3 is three hours ahead of UTC.
    private static string EtcZone(int hoursAhead) => hoursAhead switch
    {
        0 => "Etc/UTC",
        > 0 => "Etc/GMT-" + hoursAhead.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "Etc/GMT+" + (-hoursAhead).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static JsonObject Page(string name, string? userId = null, string? anonymousId = null) =>
        Message("page", userId, anonymousId, null, new() { ["name"] = name, ["properties"] = new JsonObject() });

    public static JsonObject OrderCompleted(string userId, string orderId, decimal revenue) =>
        Track("Order Completed", userId, properties: new JsonObject { ["order_id"] = orderId, ["revenue"] = revenue, ["currency"] = "EUR" });

    private static JsonObject Message(string type, string? userId, string? anonymousId, string? messageId, JsonObject fields)
    {
        var message = new JsonObject { ["type"] = type, ["messageId"] = messageId ?? Guid.NewGuid().ToString() };
        if (userId is not null)
            message["userId"] = userId;
        if (anonymousId is not null)
            message["anonymousId"] = anonymousId;
        foreach (var (key, value) in fields)
            message[key] = value?.DeepClone();
        return message;
    }
}
