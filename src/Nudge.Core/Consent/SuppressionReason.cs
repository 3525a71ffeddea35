namespace Nudge.Core.Consent;

/// <summary>Why an address may not be sent to on a channel.</summary>
public enum SuppressionReason
{
    /// <summary>The receiving server said the address does not exist.</summary>
    HardBounce,

    /// <summary>The person marked a message as spam.</summary>
    Complaint,

    /// <summary>Someone at the shop added it.</summary>
    Manual,

    /// <summary>The address unsubscribed somewhere else (an import from another tool, a list without a profile).</summary>
    Unsubscribe,

    /// <summary>The receiving server refused messages to it again and again for reasons that may pass (mailbox full, ...).</summary>
    SoftBounce,
}

/// <summary>The names the API, CSV files and the database use for <see cref="SuppressionReason"/>.</summary>
public static class SuppressionReasons
{
    /// <summary>Every reason's name, for error messages.</summary>
    public const string Expected = "hard_bounce, soft_bounce, complaint, manual or unsubscribe";

    public static string Name(SuppressionReason reason) => reason switch
    {
        SuppressionReason.HardBounce => "hard_bounce",
        SuppressionReason.Complaint => "complaint",
        SuppressionReason.Manual => "manual",
        SuppressionReason.Unsubscribe => "unsubscribe",
        SuppressionReason.SoftBounce => "soft_bounce",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>The reason named <paramref name="name"/> (trimmed, any case), or null.</summary>
    public static SuppressionReason? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "hard_bounce" => SuppressionReason.HardBounce,
        "complaint" => SuppressionReason.Complaint,
        "manual" => SuppressionReason.Manual,
        "unsubscribe" => SuppressionReason.Unsubscribe,
        "soft_bounce" => SuppressionReason.SoftBounce,
        _ => null,
    };
}
