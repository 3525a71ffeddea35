using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nudge.Core.Ingestion;
using Nudge.Storage.Events;
using Nudge.Storage.Push;

namespace Nudge.Server.Push;

/// <summary>Events Nudge writes about a person's push subscriptions, so they show in the timeline.</summary>
internal static class PushEvents
{
    /// <summary>A <c>Push Unsubscribed</c> event for the subscription's profile; <paramref name="reason"/> says who ended it.</summary>
    public static EventToAppend Unsubscribed(string workspaceId, PushSubscription subscription, string reason, DateTimeOffset at)
    {
        var messageId = "nudge-push-" + Guid.CreateVersion7().ToString("N");
        var json = new JsonObject
        {
            ["type"] = "track",
            ["event"] = PushSubscriptionsApi.UnsubscribedEvent,
            ["messageId"] = messageId,
            ["timestamp"] = at.ToString("O", CultureInfo.InvariantCulture),
            ["properties"] = new JsonObject { ["push_service"] = new Uri(subscription.Endpoint).Host, ["reason"] = reason },
        }.ToJsonString();
        var message = new IncomingMessage
        {
            Type = MessageType.Track,
            MessageId = messageId,
            Name = PushSubscriptionsApi.UnsubscribedEvent,
            Timestamp = at,
            ReceivedAt = at,
            Body = JsonSerializer.Deserialize<JsonElement>(json),
        };
        return new EventToAppend(workspaceId, message, KeyKind.Server, json, null) { ForProfile = subscription.ProfileId };
    }
}
