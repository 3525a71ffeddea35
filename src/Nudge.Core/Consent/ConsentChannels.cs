using System.Collections.Immutable;

namespace Nudge.Core.Consent;

/// <summary>The channels a person can consent to, as the segment language, the APIs and the audit trail name them.</summary>
public static class ConsentChannels
{
    public const string Email = "email";
    public const string Sms = "sms";
    public const string Push = "push";

    /// <summary>Every channel, in the order pages and replies list them.</summary>
    public static ImmutableArray<string> All { get; } = [Email, Sms, Push];

    /// <summary>True for <c>email</c>, <c>sms</c> and <c>push</c> (exactly, lower case).</summary>
    public static bool IsKnown(string? channel) => channel is Email or Sms or Push;
}
