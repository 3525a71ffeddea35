using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nudge.Core.Consent;
using Nudge.Core.Ingestion;
using Nudge.Storage.Events;

namespace Nudge.Engine.Consent;

/// <summary>A consent change Nudge records on a person's behalf (admin API, preference center, unsubscribe, opt-in).</summary>
/// <param name="Channel">email, sms or push.</param>
/// <param name="Subscribed">True subscribes, false unsubscribes.</param>
/// <param name="Source">Where it came from: "preference center", "one-click unsubscribe", "admin", ...</param>
/// <param name="Wording">The exact text the person saw, if any.</param>
/// <param name="Ip">The person's address, if known.</param>
/// <param name="UserAgent">The person's browser, if known.</param>
public sealed record ConsentChangeRequest(
    string Channel, bool Subscribed, string Source, string? Wording = null, string? Ip = null, string? UserAgent = null);

/// <summary>
/// The events Nudge appends about a known profile when it changes consent or preferences itself: sent as a server key
/// (trusted) and addressed to the profile directly (<see cref="EventToAppend.ForProfile"/>), so they need no ids and
/// no identity resolution. The log makes them durable and the profile's grain applies them like any other event.
/// </summary>
public static class ConsentEvents
{
    /// <summary>A <c>Consent Changed</c> track event for <paramref name="profileId"/>.</summary>
    public static EventToAppend ConsentChanged(string workspaceId, string profileId, ConsentChangeRequest change, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(change);
        var properties = new JsonObject
        {
            ["channel"] = change.Channel,
            ["status"] = change.Subscribed ? ConsentChangedEvent.Subscribed : ConsentChangedEvent.Unsubscribed,
            ["source"] = change.Source,
        };
        if (change.Wording is not null)
            properties["wording"] = change.Wording;
        if (change.Ip is not null)
            properties["ip"] = change.Ip;
        if (change.UserAgent is not null)
            properties["user_agent"] = change.UserAgent;

        return Event(workspaceId, profileId, MessageType.Track, ConsentChangedEvent.Name, "properties", properties, at);
    }

    /// <summary>An identify that sets <paramref name="traits"/> on <paramref name="profileId"/> (preference center topics).</summary>
    public static EventToAppend Identify(string workspaceId, string profileId, JsonObject traits, DateTimeOffset at) =>
        Event(workspaceId, profileId, MessageType.Identify, null, "traits", traits, at);

    private static EventToAppend Event(
        string workspaceId, string profileId, MessageType type, string? name, string payloadName, JsonObject payload, DateTimeOffset at)
    {
        var messageId = "nudge-" + Guid.CreateVersion7().ToString("N");
        var body = new JsonObject
        {
            ["type"] = type == MessageType.Track ? "track" : "identify",
            ["messageId"] = messageId,
            ["timestamp"] = at.ToString("O", CultureInfo.InvariantCulture),
        };
        if (name is not null)
            body["event"] = name;
        body[payloadName] = payload;
        var json = body.ToJsonString();

        var message = new IncomingMessage
        {
            Type = type,
            MessageId = messageId,
            Name = name,
            Timestamp = at,
            ReceivedAt = at,
            Body = JsonSerializer.Deserialize<JsonElement>(json),
        };
        return new EventToAppend(workspaceId, message, KeyKind.Server, json, null) { ForProfile = profileId };
    }
}
