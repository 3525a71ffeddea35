using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Admin;

public sealed class ProfilesApiTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_admin_api_needs_an_admin_key()
    {
        using var anonymous = nudge.CreateClient();
        using var writeKey = nudge.Admin(NudgeApi.ServerKey);

        var withoutKey = await anonymous.GetAsync("/api/profiles", Ct);
        var withWriteKey = await writeKey.GetAsync("/api/profiles", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withWriteKey.StatusCode);
        Assert.Equal("Bearer", withoutKey.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("email")]
    [InlineData("phone")]
    [InlineData("userId")]
    [InlineData("name")]
    public async Task Profiles_are_found_by_email_phone_user_id_and_name(string by)
    {
        var user = Some.Id("user");
        var lastName = "Hopper" + Guid.NewGuid().ToString("N")[..6];
        var phone = "+4915112" + Random.Shared.Next(100000, 999999);
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: new JsonObject
        {
            ["email"] = $"{user}@Example.com",
            ["phone"] = phone,
            ["first_name"] = "Grace",
            ["last_name"] = lastName,
        }));
        var query = by switch { "email" => $"{user}@example.com", "phone" => phone, "userId" => user, _ => $"grace {lastName}" };

        var profile = await nudge.WaitForProfileAsync(query, _ => true);

        Assert.Equal($"Grace {lastName}", (string?)profile["name"]);
        Assert.Contains(profile["identities"]!.AsArray(), i => (string?)i!["kind"] == "phone" && (string?)i["value"] == phone);
    }

    [Fact]
    public async Task Identify_after_anonymous_browsing_merges_the_history_into_the_known_profile()
    {
        var user = Some.Id("user");
        var anonymous = Some.Id("anon");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: new JsonObject { ["email"] = $"{user}@example.com" }));
        await nudge.WaitForProfileAsync(user, _ => true);
        await nudge.SendBatchAsync(NudgeApi.BrowserKey,
            Some.Track("Product Viewed", anonymousId: anonymous, properties: new JsonObject { ["product_id"] = "sku-9" }),
            Some.Track("Product Added", anonymousId: anonymous, properties: new JsonObject { ["product_id"] = "sku-9" }));

        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, anonymous));

        var profile = await nudge.WaitForProfileAsync(user, p => (int)p["computed"]!["eventCount"]! == 4);
        Assert.Equal("sku-9", (string?)profile["computed"]!["lastProductAdded"]!["productId"]);
        Assert.Single(profile["merges"]!.AsArray());
        var timeline = await nudge.TimelineAsync((string)profile["id"]!);
        Assert.Equal(["identify", "track", "track", "identify"], timeline.Select(e => (string?)e!["type"]));
        Assert.NotNull(timeline[0]!["identity"]!["absorbed"]);
    }

    [Fact]
    public async Task A_browser_key_cannot_attach_events_to_a_profile_a_server_key_established()
    {
        var user = Some.Id("victim");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: new JsonObject { ["email"] = $"{user}@example.com" }));
        var victim = await nudge.WaitForProfileAsync(user, _ => true);

        await nudge.SendBatchAsync(NudgeApi.BrowserKey,
            Some.Identify(user, Some.Id("attacker"), new JsonObject { ["email"] = "attacker@example.com", ["first_name"] = "Mallory" }));
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track("Marker", user));

        var after = await nudge.WaitForProfileAsync(user, p => (int)p["computed"]!["eventCount"]! == 2);
        Assert.Equal((string?)victim["id"], (string?)after["id"]);
        Assert.Null(after["traits"]!["first_name"]);
        Assert.Equal($"{user}@example.com", (string?)after["traits"]!["email"]);
    }

    [Fact]
    public async Task A_browser_key_cannot_change_consent()
    {
        var user = Some.Id("user");
        var anonymous = Some.Id("anon");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, anonymous, new JsonObject { ["consent"] = new JsonObject { ["email"] = true } }));
        await nudge.SendBatchAsync(NudgeApi.BrowserKey, Some.Identify(anonymousId: anonymous, traits: new JsonObject { ["consent"] = new JsonObject { ["email"] = false } }));

        var profile = await nudge.WaitForProfileAsync(user, p => p["consentHistory"]!.AsArray().Count == 2);

        Assert.True((bool)profile["consent"]!["email"]!);
        Assert.False((bool)profile["consentHistory"]![1]!["applied"]!);
    }

    [Fact]
    public async Task The_timeline_is_newest_first_and_paged()
    {
        var user = Some.Id("user");
        var messages = Enumerable.Range(1, 5).Select(i => Some.Track($"Step {i}", user)).ToArray();
        await nudge.SendBatchAsync(NudgeApi.ServerKey, messages);
        var profile = await nudge.WaitForProfileAsync(user, p => (int)p["computed"]!["eventCount"]! == 5);
        using var admin = nudge.Admin();

        var first = await admin.GetFromJsonAsync<JsonObject>($"/api/profiles/{profile["id"]}/events?limit=3", Ct);
        var second = await admin.GetFromJsonAsync<JsonObject>($"/api/profiles/{profile["id"]}/events?limit=3&before={first!["next"]}", Ct);

        Assert.Equal(["Step 5", "Step 4", "Step 3"], first["events"]!.AsArray().Select(e => (string?)e!["name"]));
        Assert.Equal(["Step 2", "Step 1"], second!["events"]!.AsArray().Select(e => (string?)e!["name"]));
        Assert.Null(second["next"]);
    }

    [Fact]
    public async Task The_export_holds_the_profile_and_every_event()
    {
        var user = Some.Id("user");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: new JsonObject { ["email"] = $"{user}@example.com" }), Some.OrderCompleted(user, "o-1", 25m));
        var profile = await nudge.WaitForProfileAsync(user, p => (int)p["computed"]!["eventCount"]! == 2);
        using var admin = nudge.Admin();

        var export = await admin.GetFromJsonAsync<JsonObject>($"/api/profiles/{profile["id"]}/export", Ct);

        Assert.Equal($"{user}@example.com", (string?)export!["profile"]!["traits"]!["email"]);
        Assert.Equal(2, export["events"]!.AsArray().Count);
        Assert.Single(export["profile"]!["orders"]!.AsArray());
    }

    [Fact]
    public async Task Erasing_a_person_removes_them_and_later_events_do_not_bring_the_old_data_back()
    {
        var user = Some.Id("user");
        await nudge.SendBatchAsync(NudgeApi.ServerKey,
            Some.Identify(user, traits: new JsonObject { ["email"] = $"{user}@example.com", ["first_name"] = "Erin" }),
            Some.OrderCompleted(user, "o-1", 80m));
        var profile = await nudge.WaitForProfileAsync(user, p => (int)p["computed"]!["eventCount"]! == 2);
        using var admin = nudge.Admin();

        var erase = await admin.DeleteAsync($"/api/profiles/{profile["id"]}", Ct);
        var gone = await admin.GetAsync($"/api/profiles/{profile["id"]}", Ct);
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track("Product Viewed", user));
        var reborn = await nudge.WaitForProfileAsync(user, _ => true);

        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.NotEqual((string?)profile["id"], (string?)reborn["id"]);
        Assert.Null(reborn["traits"]!["first_name"]);
        Assert.Equal(0, (int)reborn["computed"]!["orderCount"]!);
        Assert.Single(await nudge.TimelineAsync((string)reborn["id"]!));
    }

    [Fact]
    public async Task An_unknown_profile_is_a_404_problem()
    {
        using var admin = nudge.Admin();
        var response = await admin.GetAsync("/api/profiles/prf_missing", Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("id", (string?)problem!["field"]);
    }

    [Fact]
    public async Task A_timeline_page_size_out_of_range_is_a_400_naming_limit()
    {
        var user = Some.Id("user");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track("Product Viewed", user));
        var profile = await nudge.WaitForProfileAsync(user, _ => true);
        using var admin = nudge.Admin();

        var response = await admin.GetAsync($"/api/profiles/{profile["id"]}/events?limit=0", Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("limit", (string?)problem!["field"]);
    }
}
