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
        var properties = new JsonObject { ["push_service"] = new Uri(subscription.Endpoint).Host, ["reason"] = reason };
        return EventToAppend.ProfileTrack(workspaceId, subscription.ProfileId, PushSubscriptionsApi.UnsubscribedEvent,
            "nudge-push-" + Guid.CreateVersion7().ToString("N"), at, properties, KeyKind.Server);
    }
}
