using Nudge.Core.Ingestion;

namespace Nudge.Core.Identity;

/// <summary>
/// Decides which profile a message belongs to, which ids to link and which profiles to merge.
/// The rules are written down in docs/identity.md; this is the only place they are implemented.
/// </summary>
public static class IdentityResolution
{
    /// <param name="claims">The message's normalized ids, in any order.</param>
    /// <param name="keyKind">Who sent the message.</param>
    /// <param name="findLink">Looks up the current link of an id.</param>
    /// <param name="findProfile">Looks up what is known about a profile.</param>
    /// <param name="newProfileId">Makes the id for a new profile.</param>
    public static IdentityDecision Resolve(
        IReadOnlyCollection<IdentityKey> claims,
        KeyKind keyKind,
        Func<IdentityKey, IdentityLink?> findLink,
        Func<string, ProfileHead> findProfile,
        Func<string> newProfileId)
    {
        var trusted = keyKind == KeyKind.Server;
        var refused = new List<RefusedIdentity>();
        var ordered = claims.Distinct().OrderBy(c => c.Kind).ToList();
        var claimedUserId = ordered.FirstOrDefault(c => c.Kind == IdentityKind.UserId).Value;

        // Existing profiles the message's ids point at, strongest id first.
        var candidates = new List<(IdentityKey Key, ProfileHead Profile)>();
        foreach (var claim in ordered)
        {
            if (findLink(claim) is not { } link)
                continue;
            var head = findProfile(link.ProfileId);
            if (!trusted && head.Verified && link.Key.Kind != IdentityKind.AnonymousId)
            {
                // A public key may not attach to a verified person by naming their id; only an anonymous
                // id already linked to them (a cookie nobody else knows) shows the browser is theirs.
                refused.Add(new RefusedIdentity(claim, "linked to a verified profile; browser keys cannot attach to it"));
                continue;
            }
            candidates.Add((claim, head));
        }

        // The strongest id decides who survives a merge: userId, then email, phone, anonymousId. A profile
        // of another user id never does, however strong the id that found it: that is a shared device
        // (or a shared email), and the user id named here is a different person.
        var survivor = candidates
            .Select(c => c.Profile)
            .FirstOrDefault(p => claimedUserId is null || p.UserId is null || p.UserId == claimedUserId);
        var isNew = survivor is null;
        var profileId = survivor?.ProfileId ?? newProfileId();

        // An id already linked to the profile the message lands on asks for nothing, so nothing was refused.
        refused.RemoveAll(r => findLink(r.Key)?.ProfileId == profileId);

        var survivorVerified = survivor?.Verified ?? false;
        var survivorUserId = survivor?.UserId;
        var absorbed = new List<string>();

        foreach (var (key, head) in candidates)
        {
            if (head.ProfileId == profileId || absorbed.Contains(head.ProfileId))
                continue;

            var conflictingUserIds = head.UserId is not null && (survivorUserId ?? claimedUserId) is { } u && u != head.UserId;
            if (!trusted && head.Verified)
            {
                refused.Add(new RefusedIdentity(key, "belongs to a verified profile; browser keys cannot merge it"));
            }
            else if (conflictingUserIds)
            {
                // Another person's profile (a shared device): move only this id, keep the people apart.
                if (key.Kind == IdentityKind.AnonymousId)
                    continue;
                refused.Add(new RefusedIdentity(key, $"belongs to the profile of another user id ({head.UserId})"));
            }
            else if (!trusted && survivorVerified)
            {
                refused.Add(new RefusedIdentity(key, "browser keys cannot merge into a verified profile"));
            }
            else
            {
                absorbed.Add(head.ProfileId);
                survivorUserId ??= head.UserId;
            }
        }

        var links = new List<IdentityLink>();
        foreach (var claim in ordered)
        {
            if (refused.Any(r => r.Key == claim))
                continue;

            var existing = findLink(claim);
            var alreadyHere = existing is not null && (existing.ProfileId == profileId || absorbed.Contains(existing.ProfileId));
            if (alreadyHere && (existing!.Verified || !trusted))
                continue;

            if (!trusted && survivorVerified)
            {
                refused.Add(new RefusedIdentity(claim, "browser keys cannot add ids to a verified profile"));
                continue;
            }

            if (claim.Kind == IdentityKind.UserId && survivorUserId is not null && survivorUserId != claim.Value)
            {
                refused.Add(new RefusedIdentity(claim, $"the profile already has user id {survivorUserId}"));
                continue;
            }

            if (existing is not null && !alreadyHere && existing.Verified && claim.Kind != IdentityKind.AnonymousId)
            {
                refused.Add(new RefusedIdentity(claim, "already linked to another profile"));
                continue;
            }

            links.Add(new IdentityLink(claim, profileId, trusted));
        }

        return new IdentityDecision(profileId, isNew, links, absorbed, refused);
    }
}
