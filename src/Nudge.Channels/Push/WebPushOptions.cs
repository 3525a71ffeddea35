namespace Nudge.Channels.Push;

/// <summary>Settings of the Web Push channel (<c>Nudge:Push</c>).</summary>
public sealed class WebPushOptions
{
    /// <summary>
    /// The contact push services see in every VAPID token (<c>sub</c>): a <c>mailto:</c> address or an <c>https:</c>
    /// URL where the operator can be reached if the sends cause trouble.
    /// </summary>
    public string Subject { get; set; } = "mailto:push@nudge.invalid";

    /// <summary>How long a push service keeps a message for an offline browser before dropping it (<c>TTL</c>).</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How long one request to a push service may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a VAPID token is used for (it is re-signed after that); at most 24 hours.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>True when the settings can work; the host checks this at start.</summary>
    public bool IsValid =>
        Vapid.IsValidSubject(Subject)
        && TimeToLive >= TimeSpan.Zero
        && Timeout > TimeSpan.Zero
        && TokenLifetime > TimeSpan.FromMinutes(1) && TokenLifetime <= Vapid.MaxLifetime;
}
