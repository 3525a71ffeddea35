using System.Runtime.InteropServices;

namespace Nudge.Storage;

/// <summary>Rows read for many profiles in one query (see <see cref="BatchedReads{T}"/>), gathered per profile.</summary>
internal static class ByProfile
{
    /// <summary>The profile's group, made when its first row comes.</summary>
    public static TGroup GroupOf<TGroup>(this Dictionary<string, TGroup> groups, string profileId) where TGroup : class, new()
    {
        ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, profileId, out var exists);
        if (!exists)
            group = new TGroup();
        return group!;
    }
}
