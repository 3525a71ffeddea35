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
}
