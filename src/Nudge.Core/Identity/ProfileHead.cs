namespace Nudge.Core.Identity;

/// <summary>What identity resolution needs to know about an existing profile.</summary>
/// <param name="ProfileId">The profile.</param>
/// <param name="Verified">True when any of its ids was linked by a trusted source.</param>
/// <param name="UserId">The shop's user id for this person, if known. A profile holds at most one.</param>
public sealed record ProfileHead(string ProfileId, bool Verified, string? UserId);
