using Nudge.Core.Profiles;

namespace Nudge.Storage.Profiles;

/// <summary>Reads the profiles of a workspace that have a consent audit trail, for the workspace's consent export.</summary>
public sealed class ConsentTrails(Database database)
{
    /// <summary>
    /// The current profiles (not erased, not merged into another) with at least one consent entry among the next
    /// <paramref name="limit"/> candidates in profile id order after <paramref name="afterProfileId"/>.
    /// </summary>
    /// <remarks>
    /// The LIKE skips the many profiles without any consent entry in SQL, on both providers and without JSON functions.
    /// It can only let too many through (a trait value cannot contain the unescaped quotes), never drop a profile
    /// whose trail is not empty, so the rows are checked again here.
    /// </remarks>
    public async Task<ConsentTrailPage> PageAsync(string workspaceId, string? afterProfileId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT id, state FROM profiles WHERE workspace_id = @p0 AND erased = 0 AND id > @p1 AND state LIKE @p2 ORDER BY id LIMIT @p3",
            workspaceId, afterProfileId ?? "", "%\"consentHistory\":[{%", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var profiles = new List<Profile>();
        string? last = null;
        var read = 0;
        while (await reader.ReadAsync(ct))
        {
            read++;
            last = reader.GetString(0);
            var profile = reader.FromJson<Profile>(1, StorageJson.Options)!;
            // A merged profile's trail lives on in the survivor's.
            if (profile.MergedInto is null && profile.ConsentHistory.Count > 0)
                profiles.Add(profile);
        }
        return new ConsentTrailPage(profiles, read == limit ? last : null);
    }
}

/// <summary>A page of profiles with consent trails; pass <c>Next</c> as the next call's start (null: no more).</summary>
public sealed record ConsentTrailPage(IReadOnlyList<Profile> Profiles, string? Next);
