using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Ingestion;

/// <summary>The same path as on SQLite — tracking API, log, grains, admin API — on PostgreSQL.</summary>
public sealed class PostgresIngestionTests(NudgeOnPostgres nudge) : IClassFixture<NudgeOnPostgres>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Events_reach_the_profile_and_a_resent_batch_is_a_duplicate_on_postgres()
    {
        var user = Some.Id("user");
        var batch = new[]
        {
            Some.Identify(user, traits: new JsonObject { ["email"] = $"{user}@example.com" }),
            Some.OrderCompleted(user, "o-1", 30m),
        };

        await nudge.SendBatchAsync(NudgeApi.ServerKey, batch);
        var again = await nudge.SendBatchAsync(NudgeApi.ServerKey, batch.Select(m => (JsonObject)m.DeepClone()).ToArray());
        var profile = await nudge.WaitForProfileAsync($"{user}@example.com", p => (int)p["computed"]!["orderCount"]! == 1);

        Assert.Equal(2, (int)again["duplicates"]!);
        Assert.Equal(30m, (decimal)profile["computed"]!["totalRevenue"]!);
        Assert.Equal(2, (await nudge.TimelineAsync((string)profile["id"]!)).Count);
    }

    [Fact]
    public async Task Anonymous_history_merges_and_erasure_works_on_postgres()
    {
        var user = Some.Id("user");
        var anonymous = Some.Id("anon");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user));
        await nudge.WaitForProfileAsync(user, _ => true);
        await nudge.SendBatchAsync(NudgeApi.BrowserKey, Some.Track("Product Viewed", anonymousId: anonymous));
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, anonymous));
        var profile = await nudge.WaitForProfileAsync(user, p => (int)p["computed"]!["eventCount"]! == 3);
        using var admin = nudge.Admin();

        var erase = await admin.DeleteAsync($"/api/profiles/{profile["id"]}", Ct);
        var erased = await erase.Content.ReadFromJsonAsync<JsonObject>(Ct);

        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        Assert.Equal(3, (int)erased!["eventsDeleted"]!);
        Assert.Equal(2, erased["profileIds"]!.AsArray().Count);
    }

    [Fact]
    public async Task Segments_are_built_from_history_and_kept_current_on_postgres()
    {
        var category = Some.Id("shoes");
        var early = Some.Id("user");
        var late = Some.Id("user");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Viewed(early, category), Viewed(early, category));
        await nudge.WaitForProfileAsync(early, p => (int)p["computed"]!["eventCount"]! == 2);
        using var admin = nudge.Admin();
        var created = await (await admin.PostAsJsonAsync("/api/segments", new JsonObject
        {
            ["name"] = "Viewed twice",
            ["condition"] = new JsonObject
            {
                ["event"] = "Product Viewed",
                ["where"] = new JsonArray(new JsonObject { ["property"] = "category", ["operator"] = "equals", ["value"] = category }),
                ["count"] = new JsonObject { ["atLeast"] = 2 },
                ["window"] = new JsonObject { ["last"] = 30, ["unit"] = "days" },
            },
        }, Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
        var id = (string)created!["id"]!;
        await Eventually.ReadUntilAsync(ct => admin.GetFromJsonAsync<JsonObject>($"/api/segments/{id}", ct), s => (string?)s!["status"] == "ready", Ct);

        await nudge.SendBatchAsync(NudgeApi.ServerKey, Viewed(late, category), Viewed(late, category));
        var count = await Eventually.ReadUntilAsync(
            ct => admin.GetFromJsonAsync<JsonObject>($"/api/segments/{id}/count", ct), c => (long?)c!["count"] == 2, Ct);

        Assert.Equal(2, (long?)count!["count"]);
    }

    private static JsonObject Viewed(string user, string category) =>
        Some.Track("Product Viewed", userId: user, properties: new JsonObject { ["category"] = category });
}
