using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nudge.Core.Connectors;
using Nudge.Core.Ingestion;
using Nudge.Storage.Events;

namespace Nudge.Server.Connectors;

/// <summary>
/// Turns the events a shop payload maps to into Segment messages for the event log, as a shop's back end with a server
/// key would send them: <c>userId</c> is the shop's customer id, and the email, phone and names go in the traits
/// (<c>context.traits</c> of a track), so identity resolution joins them to the person's existing profile.
/// </summary>
public static class ConnectorMessages
{
    public static EventToAppend ToAppend(string workspaceId, ShopPlatform platform, ShopEvent e, DateTimeOffset receivedAt, string? region)
    {
        ArgumentNullException.ThrowIfNull(e);
        var traits = new JsonObject();
        if (e.Customer.Email is { } email)
            traits["email"] = email;
        if (e.Customer.Phone is { } phone)
            traits["phone"] = phone;
        foreach (var (key, value) in e.Customer.Traits)
            traits[key] = value?.DeepClone();

        var context = new JsonObject { ["library"] = new JsonObject { ["name"] = "nudge-connector", ["version"] = platform.Name() } };
        var body = new JsonObject
        {
            ["type"] = e.Name is null ? "identify" : "track",
            ["messageId"] = e.MessageId,
            ["timestamp"] = e.Timestamp.ToString("O", CultureInfo.InvariantCulture),
        };
        if (e.Customer.CustomerId is { } userId)
            body["userId"] = userId;
        if (e.Name is { } name)
        {
            body["event"] = name;
            body["properties"] = e.Properties.DeepClone();
            if (traits.Count > 0)
                context["traits"] = traits;
        }
        else
        {
            body["traits"] = traits;
        }
        body["context"] = context;

        var json = body.ToJsonString();
        var message = new IncomingMessage
        {
            Type = e.Name is null ? MessageType.Identify : MessageType.Track,
            MessageId = e.MessageId,
            UserId = e.Customer.CustomerId,
            Name = e.Name,
            Timestamp = e.Timestamp,
            OriginalTimestamp = e.Timestamp,
            // Received now: the log's de-duplication window counts from arrival, whatever the shop's own time says.
            ReceivedAt = receivedAt,
            Body = JsonSerializer.Deserialize<JsonElement>(json),
        };
        return new EventToAppend(workspaceId, message, KeyKind.Server, json, region);
    }
}
