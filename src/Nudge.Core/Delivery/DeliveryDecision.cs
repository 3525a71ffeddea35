namespace Nudge.Core.Delivery;

/// <summary>What happens to a message.</summary>
public enum DeliveryVerdict
{
    /// <summary>Deliver it now.</summary>
    Send,

    /// <summary>Never deliver it; the reason is recorded.</summary>
    Skip,

    /// <summary>Deliver it later, not before <see cref="DeliveryDecision.NotBefore"/> (decided again then).</summary>
    Delay,
}

/// <summary>The policy's answer for one message, recorded with it.</summary>
/// <param name="Verdict">Send, skip or delay.</param>
/// <param name="Rule">The rule that decided (<see cref="DeliveryRules"/>): consent, suppression, smartSending, frequencyCap, quietHours or ok.</param>
/// <param name="Reason">One sentence for the shop owner, shown in the run history and the delivery log.</param>
/// <param name="NotBefore">For <see cref="DeliveryVerdict.Delay"/>: the earliest moment to try again; otherwise null.</param>
public sealed record DeliveryDecision(DeliveryVerdict Verdict, string Rule, string Reason, DateTimeOffset? NotBefore);

/// <summary>The names of the rules as decisions record them, in the order they are applied.</summary>
public static class DeliveryRules
{
    public const string Consent = "consent";
    public const string Suppression = "suppression";
    public const string SmartSending = "smartSending";
    public const string FrequencyCap = "frequencyCap";
    public const string QuietHours = "quietHours";

    /// <summary>No rule held the message back.</summary>
    public const string Ok = "ok";
}
