using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nudge.Core.Flows;
using Nudge.Core.Ingestion;
using Nudge.Core.Lists;
using Nudge.Core.Profiles;
using Nudge.Storage.Events;
using Nudge.Storage.Outbox;

namespace Nudge.Engine.Flows;

/// <summary>
/// Turns a run's effects into what the engine writes: messages and webhook calls become outbox rows keyed
/// (run, step); profile and list changes become events in the log with a message id made of (run, step), so the
/// log's de-duplication makes a replayed step change nothing twice.
/// </summary>
public static class FlowEffects
{
    /// <summary>The message id of the event a profile or list step writes.</summary>
    public static string MessageId(string runId, string stepId) => $"nudge-flow-{runId}-{stepId}";

    /// <summary>The outbox rows of <paramref name="advance"/>'s sends and webhook calls.</summary>
    public static IReadOnlyList<OutboxMessage> Messages(Profile profile, RunAdvance advance, DateTimeOffset now)
    {
        var run = advance.Run;
        var messages = new List<OutboxMessage>();
        foreach (var effect in advance.Effects)
        {
            switch (effect)
            {
                case SendMessage send:
                    // A profile without an address still gets its row: delivery records the skip and its reason.
                    var recipient = send.Channel switch { "email" => profile.Email, "sms" => profile.Phone, _ => null } ?? "";
                    messages.Add(OutboxMessage.FromFlow(run.WorkspaceId, profile.Id, recipient,
                        new FlowMessage(send.TemplateId, run.FlowId, run.Id, send.StepId, send.Priority, send.Transactional, send.SmartSending), send.Channel, now));
                    break;
                case CallWebhook webhook:
                    messages.Add(OutboxMessage.FromFlow(run.WorkspaceId, profile.Id, webhook.Url.ToString(),
                        new FlowMessage(null, run.FlowId, run.Id, webhook.StepId, 0, Transactional: true, SmartSending: null), "webhook", now));
                    break;
            }
        }
        return messages;
    }

    /// <summary>The events of <paramref name="advance"/>'s profile and list changes, for the log.</summary>
    public static IReadOnlyList<EventToAppend> Events(Profile profile, RunAdvance advance, DateTimeOffset now)
    {
        var events = new List<EventToAppend>();
        foreach (var effect in advance.Effects)
        {
            var messageId = MessageId(advance.Run.Id, effect.StepId);
            switch (effect)
            {
                case ChangeProfile change:
                    var (trait, value) = ProfileChanges.Apply(profile, change.Change);
                    events.Add(Event(profile, messageId, MessageType.Identify, null, "traits", new JsonObject { [trait] = value }, now));
                    break;
                case ChangeList list:
                    events.Add(Event(profile, messageId, MessageType.Track, list.Join ? ListEvents.Joined : ListEvents.Left, "properties",
                        new JsonObject { [ListEvents.ListIdProperty] = list.ListId, ["source"] = "flow", ["flow_id"] = advance.Run.FlowId }, now));
                    break;
            }
        }
        return events;
    }

    private static EventToAppend Event(Profile profile, string messageId, MessageType type, string? name, string payloadKey, JsonObject payload, DateTimeOffset now)
    {
        var body = new JsonObject
        {
            ["type"] = type == MessageType.Identify ? "identify" : "track",
            ["messageId"] = messageId,
            ["timestamp"] = now.ToString("O", CultureInfo.InvariantCulture),
            [payloadKey] = payload,
        };
        if (name is not null)
            body["event"] = name;
        var text = body.ToJsonString();
        var message = new IncomingMessage
        {
            Type = type,
            MessageId = messageId,
            Name = name,
            Timestamp = now,
            ReceivedAt = now,
            Body = JsonSerializer.Deserialize<JsonElement>(text),
        };
        return new EventToAppend(profile.WorkspaceId, message, KeyKind.Internal, text, null) { ForProfile = profile.Id };
    }
}
