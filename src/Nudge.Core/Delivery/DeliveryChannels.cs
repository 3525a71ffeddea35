using Nudge.Core.Consent;

namespace Nudge.Core.Delivery;

/// <summary>The channels a message can go out on, as outbox rows and decisions name them.</summary>
public static class DeliveryChannels
{
    public const string Email = ConsentChannels.Email;
    public const string Sms = ConsentChannels.Sms;
    public const string Push = ConsentChannels.Push;

    /// <summary>A call to the shop's own system: not a person's inbox, so it needs no consent.</summary>
    public const string Webhook = "webhook";

    /// <summary>How reasons name a channel ("SMS", "push", "email").</summary>
    internal static string Display(string channel) => channel switch
    {
        Sms => "SMS",
        Push => "push",
        _ => channel,
    };

    /// <summary>How reasons name one message of a channel ("an email", "an SMS", "a push notification").</summary>
    internal static string OneMessage(string channel) => channel switch
    {
        Email => "an email",
        Sms => "an SMS",
        Push => "a push notification",
        Webhook => "a webhook",
        _ => $"a {channel} message",
    };

    /// <summary>How reasons name several messages of a channel ("marketing emails").</summary>
    internal static string Messages(string channel) => channel switch
    {
        Email => "emails",
        Sms => "SMS",
        Push => "push notifications",
        Webhook => "webhooks",
        _ => $"{channel} messages",
    };
}
