namespace Nudge.Core.Ingestion;

/// <summary>
/// How much Nudge trusts the sender of an event. Browser keys sit in public shop pages,
/// so anyone can send with them; server keys are secret.
/// </summary>
public enum KeyKind
{
    /// <summary>A public write key used by analytics.js and other browser trackers.</summary>
    Browser,

    /// <summary>A secret write key used by the shop's back end.</summary>
    Server,

    /// <summary>
    /// Written by Nudge itself (segment changes, consent it records, and the like); trusted like a server key, and
    /// always addressed to a known profile, so it never carries identities.
    /// </summary>
    Internal,
}
