namespace Nudge.Core.Identity;

/// <summary>
/// An id that points at a profile. <see cref="Verified"/> links were made by a secret server key,
/// a shop connector or a confirmed email; browser events can never create or use them to attach.
/// </summary>
public sealed record IdentityLink(IdentityKey Key, string ProfileId, bool Verified);
