using System.Text.Json;
using Nudge.Channels.Delivery;
using Nudge.Channels.Push;
using Nudge.Channels.Sms;
using Nudge.Channels.Webhooks;
using Nudge.Server.Webhooks;
using Nudge.Storage.Outbox;
using Nudge.Storage.Push;

namespace Nudge.Server.Delivery;

/// <summary>How a prepared outbox message of each non-email channel is handed to its sender (for <see cref="ChannelDelivery"/>).</summary>
public static class ChannelSends
{
    /// <summary>An SMS: the body to the phone number.</summary>
    public static Task<SendOutcome> SmsAsync(IServiceProvider services, OutboxMessage message, CancellationToken ct) =>
        services.GetRequiredService<SmsSender>().SendAsync(message.Recipient, message.BodyText ?? "", ct);

    /// <summary>A webhook: the prepared body to the step's URL, signed with the workspace's secret, the message key as its id.</summary>
    public static async Task<SendOutcome> WebhookAsync(IServiceProvider services, OutboxMessage message, CancellationToken ct)
    {
        var secret = await services.GetRequiredService<WorkspaceWebhookSecrets>().SecretAsync(message.WorkspaceId, ct);
        var body = JsonSerializer.Deserialize<JsonElement>(message.BodyText ?? "{}");
        return await services.GetRequiredService<WebhookSender>().SendAsync(new WebhookRequest(new Uri(message.Recipient), secret, message.MessageKey, body), ct);
    }

    /// <summary>
    /// A push to every browser the person subscribed: accepted when one took it (gone subscriptions are removed by the
    /// sender), tried again when none did but one may later, failed when none ever will.
    /// </summary>
    public static async Task<SendOutcome> PushAsync(IServiceProvider services, OutboxMessage message, CancellationToken ct)
    {
        var browsers = await services.GetRequiredService<PushSubscriptionStore>().ForProfileAsync(message.WorkspaceId, message.Recipient, ct);
        if (browsers.Count == 0)
            return SendOutcome.Permanent("the person has no browser subscribed to push");
        var sender = services.GetRequiredService<WebPushSender>();
        var push = new PushMessage(message.Subject ?? "", message.BodyText);
        var outcomes = new List<SendOutcome>();
        foreach (var browser in browsers)
            outcomes.Add(await sender.SendAsync(browser, push, null, ct));
        var detail = string.Join("; ", outcomes.Select(o => o.Detail));
        var accepted = outcomes.Count(o => o.Kind == SendOutcomeKind.Accepted);
        if (accepted > 0)
            return SendOutcome.Accepted($"{accepted} of {outcomes.Count} browsers", detail);
        return outcomes.Any(o => o.Kind == SendOutcomeKind.TemporaryFailure) ? SendOutcome.Temporary(detail) : SendOutcome.Permanent(detail);
    }
}
