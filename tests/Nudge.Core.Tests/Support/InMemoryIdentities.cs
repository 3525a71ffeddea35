using Nudge.Core.Identity;
using Nudge.Core.Ingestion;

namespace Nudge.Core.Tests.Support;

/// <summary>
/// The identity table in dictionaries: links id → profile, with profile heads derived from the links
/// the way the store derives them (verified when any link is verified; the user id link names the user).
/// </summary>
internal sealed class InMemoryIdentities
{
    private readonly Dictionary<IdentityKey, IdentityLink> _links = [];
    private int _newProfiles;

    /// <summary>Points <paramref name="keys"/> at <paramref name="profileId"/>.</summary>
    public InMemoryIdentities Link(string profileId, bool verified, params IdentityKey[] keys)
    {
        foreach (var key in keys)
            _links[key] = new IdentityLink(key, profileId, verified);
        return this;
    }

    public IdentityLink? Find(IdentityKey key) => _links.GetValueOrDefault(key);

    public ProfileHead Head(string profileId)
    {
        var links = _links.Values.Where(l => l.ProfileId == profileId).ToList();
        Assert.NotEmpty(links);
        return new ProfileHead(
            profileId,
            links.Any(l => l.Verified),
            links.FirstOrDefault(l => l.Key.Kind == IdentityKind.UserId)?.Key.Value);
    }

    public IdentityDecision Resolve(KeyKind keyKind, params IdentityKey[] claims) =>
        IdentityResolution.Resolve(claims, keyKind, Find, Head, () => "prf_new_" + ++_newProfiles);

    /// <summary>Resolves and stores the outcome, as the event log's writer does.</summary>
    public IdentityDecision Write(KeyKind keyKind, params IdentityKey[] claims)
    {
        var decision = Resolve(keyKind, claims);
        foreach (var absorbed in decision.Absorbed)
        {
            foreach (var link in _links.Values.Where(l => l.ProfileId == absorbed).ToList())
                _links[link.Key] = link with { ProfileId = decision.ProfileId };
        }

        foreach (var link in decision.Links)
            _links[link.Key] = link;
        return decision;
    }
}
