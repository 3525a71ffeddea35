using Nudge.Core.Identity;
using Nudge.Core.Profiles;
using Nudge.Storage.Lists;

namespace Nudge.Server.Lists;

/// <summary>What a GDPR erasure removes from the lists feature: memberships, and signups with their emails.</summary>
internal static class ListErasure
{
    public static async Task ForgetAsync(ListMembers members, ListSignupStore signups, Profile profile, IReadOnlyList<string> profileIds, CancellationToken ct)
    {
        await members.ForgetAsync(profileIds, ct);
        await signups.ForgetAsync(profile.WorkspaceId, profile.Identities.Where(i => i.Kind == IdentityKind.Email).Select(i => i.Value), ct);
    }
}
