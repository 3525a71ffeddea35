namespace Nudge.Channels.Sms;

/// <summary>Settings of the SMS channel (<c>Nudge:Sms</c>): a provider with the Twilio Messages API form.</summary>
public sealed class SmsOptions
{
    /// <summary>The provider's API base (Twilio: https://api.twilio.com; compatible providers have their own).</summary>
    public Uri BaseUrl { get; set; } = new("https://api.twilio.com");

    /// <summary>The account id: the Basic-auth user and part of the API path.</summary>
    public string? AccountSid { get; set; }

    /// <summary>The account's secret: the Basic-auth password and the key of the signatures on inbound messages.</summary>
    public string? AuthToken { get; set; }

    /// <summary>The sender (a phone number in E.164, an alphanumeric sender ID, or a messaging service) where no country has its own.</summary>
    public string? From { get; set; }

    /// <summary>
    /// Senders per destination country (ISO code, e.g. <c>DE</c> → <c>NudgeShop</c>, <c>US</c> → <c>+15551234567</c>):
    /// some countries need a local number, others allow or require an alphanumeric sender ID.
    /// </summary>
    public Dictionary<string, string> Senders { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long one request to the provider may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>True when sending is set up (an account, a token and a sender).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(AccountSid) && !string.IsNullOrWhiteSpace(AuthToken)
        && (!string.IsNullOrWhiteSpace(From) || Senders.Count > 0);

    /// <summary>The sender for a destination in <paramref name="country"/>: its own, else <see cref="From"/>.</summary>
    public string? SenderFor(string? country) =>
        country is not null && Senders.TryGetValue(country, out var sender) && !string.IsNullOrWhiteSpace(sender) ? sender : From;
}
