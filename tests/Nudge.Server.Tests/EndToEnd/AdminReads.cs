using System.Net.Http.Json;
using System.Text.Json;

namespace Nudge.Server.Tests.EndToEnd;

/// <summary>A profile in a search result, as the admin API sends it.</summary>
public sealed record ProfileHit(string Id, string? Name, string? Email, string? UserId, int OrderCount, decimal TotalRevenue);

/// <summary>One profile, as the admin API sends it (the fields these tests look at).</summary>
public sealed record ProfileDocument(
    string Id,
    string? Name,
    IReadOnlyDictionary<string, JsonElement> Traits,
    IReadOnlyList<IdentityEntry> Identities,
    ComputedDocument Computed);

public sealed record IdentityEntry(string Kind, string Value);

public sealed record ComputedDocument(long EventCount, int OrderCount, decimal TotalRevenue, ProductSeenDocument? LastProductViewed);

public sealed record ProductSeenDocument(string? ProductId, string? Name);

/// <summary>One timeline entry, as the admin API sends it.</summary>
public sealed record TimelineEntry(long Sequence, string MessageId, string Type, string? Name);

public sealed record TimelineDocument(IReadOnlyList<TimelineEntry> Events, long? Next);

/// <summary>Reads profiles and timelines through the admin API, the way the admin UI does.</summary>
public static class AdminReads
{
    private const int PageSize = 500;

    public static async Task<IReadOnlyList<ProfileHit>> SearchProfilesAsync(
        this HttpClient admin, string? query, CancellationToken ct, int limit = 50)
    {
        var uri = $"/api/profiles?limit={limit}" + (query is null ? "" : "&query=" + Uri.EscapeDataString(query));
        return await admin.GetFromJsonAsync<List<ProfileHit>>(new Uri(uri, UriKind.Relative), JsonSerializerOptions.Web, ct)
            ?? throw new InvalidOperationException($"GET {uri} returned null");
    }

    public static async Task<ProfileDocument> GetProfileAsync(this HttpClient admin, string id, CancellationToken ct)
    {
        var uri = new Uri($"/api/profiles/{Uri.EscapeDataString(id)}", UriKind.Relative);
        return await admin.GetFromJsonAsync<ProfileDocument>(uri, JsonSerializerOptions.Web, ct)
            ?? throw new InvalidOperationException($"GET {uri} returned null");
    }

    /// <summary>The whole timeline of a profile, newest first, following the pages.</summary>
    public static async Task<IReadOnlyList<TimelineEntry>> ReadTimelineAsync(this HttpClient admin, string id, CancellationToken ct)
    {
        var all = new List<TimelineEntry>();
        long? before = null;
        do
        {
            var uri = new Uri(
                $"/api/profiles/{Uri.EscapeDataString(id)}/events?limit={PageSize}" + (before is { } b ? $"&before={b}" : ""),
                UriKind.Relative);
            var page = await admin.GetFromJsonAsync<TimelineDocument>(uri, JsonSerializerOptions.Web, ct)
                ?? throw new InvalidOperationException($"GET {uri} returned null");
            all.AddRange(page.Events);
            before = page.Next;
        }
        while (before is not null);
        return all;
    }
}
