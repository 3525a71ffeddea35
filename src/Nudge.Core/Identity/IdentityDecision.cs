namespace Nudge.Core.Identity;

/// <summary>The result of resolving one message's ids against the identity table.</summary>
/// <param name="ProfileId">The profile the message belongs to (possibly new).</param>
/// <param name="IsNewProfile">True when no existing profile matched.</param>
/// <param name="Links">Ids to point at <paramref name="ProfileId"/> (new links and re-links).</param>
/// <param name="Absorbed">Profiles merged into <paramref name="ProfileId"/> by this message.</param>
/// <param name="Refused">Ids the message named but may not attach, with the reason.</param>
public sealed record IdentityDecision(
    string ProfileId,
    bool IsNewProfile,
    IReadOnlyList<IdentityLink> Links,
    IReadOnlyList<string> Absorbed,
    IReadOnlyList<RefusedIdentity> Refused);

/// <summary>An id that a message named but that was not linked.</summary>
public sealed record RefusedIdentity(IdentityKey Key, string Reason);
