using Nudge.Core.Profiles;
using Nudge.Storage.Keys;
using Nudge.Storage.Profiles;

namespace Nudge.Server.Consent;

/// <summary>What the public consent pages share: opening a signed link's profile, the shop's name, the request's browser.</summary>
internal static class PublicProfiles
{
    /// <summary>
    /// The current profile behind a link for <paramref name="profileId"/>, when <paramref name="isValid"/> accepts the
    /// token with the secret of the profile's workspace; null for a tampered link, an unknown or an erased profile.
    /// A merged profile's link keeps working for the survivor.
    /// </summary>
    public static async Task<Profile?> OpenAsync(ProfileStore profiles, string profileId, Func<string, Task<bool>> isValid, CancellationToken ct)
    {
        var profile = await profiles.LoadAsync(profileId, ct);
        if (profile is null || !await isValid(profile.WorkspaceId))
            return null;
        var workspace = profile.WorkspaceId;
        for (var hops = 0; profile?.MergedInto is { } survivor && hops < 16; hops++)
            profile = await profiles.LoadAsync(survivor, ct);
        return profile is not null && profile.WorkspaceId == workspace && profile.MergedInto is null ? profile : null;
    }

    public static async Task<string> ShopNameAsync(KeyStore keys, string workspaceId, CancellationToken ct) =>
        (await keys.FindWorkspaceAsync(workspaceId, ct))?.Name ?? "this shop";

    public static string? UserAgent(HttpContext http, int maxLength)
    {
        var agent = http.Request.Headers.UserAgent.ToString();
        return agent.Length == 0 ? null : agent.Length <= maxLength ? agent : agent[..maxLength];
    }
}
