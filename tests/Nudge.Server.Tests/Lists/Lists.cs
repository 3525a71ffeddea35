using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Lists;

/// <summary>Shortcuts for the lists tests: lists, members and waits through the admin API.</summary>
internal static class Lists
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<string> CreateListAsync(this NudgeApi nudge, string name = "News", bool doubleOptIn = false, params string[] allowedRedirects)
    {
        using var admin = nudge.Admin();
        var response = await admin.PostAsJsonAsync("/api/lists", new JsonObject
        {
            ["name"] = name,
            ["doubleOptIn"] = doubleOptIn,
            ["allowedRedirects"] = new JsonArray([.. allowedRedirects.Select(r => (JsonNode)r)]),
        }, Ct);
        var created = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, created?.ToJsonString());
        return (string)created!["id"]!;
    }

    public static async Task<JsonObject> AddMemberAsync(this NudgeApi nudge, string listId, JsonObject who)
    {
        using var admin = nudge.Admin();
        var response = await admin.PostAsJsonAsync($"/api/lists/{listId}/members", who, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"{(int)response.StatusCode}: {body?.ToJsonString()}");
        return body!;
    }

    /// <summary>Reads every member (all pages) until <paramref name="done"/> holds for them; memberships are saved asynchronously.</summary>
    public static async Task<List<JsonObject>> MembersUntilAsync(this NudgeApi nudge, string listId, Func<List<JsonObject>, bool> done)
    {
        using var admin = nudge.Admin();
        return await Eventually.ReadUntilAsync(ct => AllMembersAsync(admin, listId, ct), done, Ct);
    }

    public static async Task<long> CountAsync(this NudgeApi nudge, string listId)
    {
        using var admin = nudge.Admin();
        return (long)(await admin.GetFromJsonAsync<JsonObject>($"/api/lists/{listId}/count", Ct))!["count"]!;
    }

    /// <summary>Waits until the profile's timeline has an event named <paramref name="eventName"/> and returns the timeline.</summary>
    public static async Task<JsonArray> TimelineWithAsync(this NudgeApi nudge, string profileId, string eventName)
    {
        var events = await Eventually.ReadUntilAsync(
            _ => nudge.TimelineAsync(profileId), events => events.Any(e => (string?)e!["name"] == eventName), Ct);
        Assert.Contains(events, e => (string?)e!["name"] == eventName);
        return events;
    }

    /// <summary>The JSON at <paramref name="path"/>, or null while it is not there yet (404: a profile not saved yet).</summary>
    public static async Task<T?> GetOrNullAsync<T>(this HttpClient client, string path, CancellationToken ct) where T : JsonNode
    {
        using var response = await client.GetAsync(path, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(ct);
    }

    public static IEnumerable<JsonObject> Named(this JsonArray timeline, string eventName) =>
        timeline.Where(e => (string?)e!["name"] == eventName).Select(e => e!.AsObject());

    private static async Task<List<JsonObject>> AllMembersAsync(HttpClient admin, string listId, CancellationToken ct)
    {
        var all = new List<JsonObject>();
        string? after = null;
        do
        {
            var page = (await admin.GetFromJsonAsync<JsonObject>($"/api/lists/{listId}/members?limit=2&after={Uri.EscapeDataString(after ?? "")}", ct))!;
            all.AddRange(page["members"]!.AsArray().Select(m => m!.AsObject()));
            after = (string?)page["next"];
        }
        while (after is not null);
        return all;
    }
}
