using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nudge.Core.Connectors;
using Nudge.Server.Tests.Support;
using Nudge.Storage.Connectors;
using Nudge.Storage.Keys;

namespace Nudge.Server.Tests.Coupons;

/// <summary>Coupon pools through the admin API: settings, uploads, generation, assignment, alerts, redemption and pushes to Shopify.</summary>
public sealed class CouponsApiTests(NudgeWithShopify nudge) : IClassFixture<NudgeWithShopify>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Invalid_pool_settings_are_refused_naming_each_field()
    {
        using var admin = nudge.Admin();

        var response = await admin.PostAsJsonAsync("/api/coupons/pools", new JsonObject
        {
            ["name"] = "",
            ["type"] = "fixed",
            ["amount"] = -5,
            ["validity"] = new JsonObject { ["days"] = 0 },
            ["colour"] = "red",
        }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject();
        Assert.Equal(["amount", "colour", "currency", "name", "validity.days"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_upload_adds_new_codes_and_reports_repeats_in_the_file_and_codes_the_pool_has()
    {
        var pool = await PoolAsync();
        using var admin = nudge.Admin();
        await UploadAsync(admin, pool, "code,note\nSPRING-AAA,first\nSPRING-BBB,\n");

        var result = await UploadAsync(admin, pool, "code;note\nspring-aaa;again\nSPRING-CCC;x\nSPRING-CCC;twice\nSPRING DDD;bad\n".Replace(';', ','));

        Assert.Equal(1, (int)result["added"]!);
        Assert.Equal(["spring-aaa"], result["alreadyInPool"]!.AsArray().Select(c => (string)c!));
        var repeated = Assert.Single(result["repeatedInFile"]!.AsArray());
        Assert.Equal((4, "SPRING-CCC"), ((int)repeated!["line"]!, (string)repeated["code"]!));
        var invalid = Assert.Single(result["invalid"]!.AsArray());
        Assert.Equal(5, (int)invalid!["line"]!);
        Assert.Equal(3, (int)(await GetPoolAsync(admin, pool))["stats"]!["available"]!);
    }

    [Fact]
    public async Task Generated_codes_follow_the_pattern_with_no_ambiguous_characters()
    {
        var pool = await PoolAsync();
        using var admin = nudge.Admin();

        var generated = await admin.PostAsJsonAsync($"/api/coupons/pools/{pool}/generate", new JsonObject { ["count"] = 300, ["pattern"] = "WELCOME-########" }, Ct);
        var tooShort = await admin.PostAsJsonAsync($"/api/coupons/pools/{pool}/generate", new JsonObject { ["count"] = 10, ["prefix"] = "X-", ["length"] = 3 }, Ct);

        Assert.Equal(300, (int)(await generated.Content.ReadFromJsonAsync<JsonObject>(Ct))!["added"]!);
        var codes = (await admin.GetFromJsonAsync<JsonObject>($"/api/coupons/pools/{pool}/codes?limit=1000", Ct))!["codes"]!.AsArray()
            .Select(c => (string)c!["code"]!).ToList();
        Assert.Equal(300, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^WELCOME-[2-9A-HJKMNP-Z]{8}$", c));
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains("length", (await tooShort.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task The_same_key_gets_the_same_code_and_a_pool_running_low_shows_an_alert()
    {
        var pool = await PoolAsync(lowThreshold: 1);
        using var admin = nudge.Admin();
        await UploadAsync(admin, pool, "LOW-1\nLOW-2\nLOW-3\n");
        var profile = await ProfileAsync("low");

        var first = await AssignAsync(admin, pool, profile, "welcome");
        var again = await AssignAsync(admin, pool, profile, "welcome");
        var view = await GetPoolAsync(admin, pool);
        Assert.Equal((string)first["code"]!, (string)again["code"]!);
        Assert.False((bool)view["low"]!);

        await AssignAsync(admin, pool, profile, "second");
        view = await GetPoolAsync(admin, pool);
        Assert.True((bool)view["low"]!);
        Assert.Equal("low", (string)view["alerts"]![0]!["kind"]!);
        var alerts = await admin.GetFromJsonAsync<JsonArray>("/api/coupons/alerts", Ct);
        Assert.Contains(alerts!, a => (string)a!["poolId"]! == pool && (string)a["kind"]! == "low");

        await AssignAsync(admin, pool, profile, "third");
        var none = await admin.PostAsJsonAsync($"/api/coupons/pools/{pool}/assign", new JsonObject { ["profileId"] = profile, ["key"] = "fourth" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, none.StatusCode);
        Assert.Equal("empty", (string)(await GetPoolAsync(admin, pool))["alerts"]![0]!["kind"]!);
    }

    [Fact]
    public async Task A_profiles_coupons_show_what_they_give_and_when_they_expire()
    {
        var pool = await PoolAsync(days: 7);
        using var admin = nudge.Admin();
        await UploadAsync(admin, pool, "MINE-1\n");
        var profile = await ProfileAsync("mine");
        await AssignAsync(admin, pool, profile, "k");

        var coupons = await admin.GetFromJsonAsync<JsonArray>($"/api/profiles/{profile}/coupons", Ct);

        var coupon = Assert.Single(coupons!);
        Assert.Equal(("MINE-1", "assigned", "percent", 15m), ((string)coupon!["code"]!, (string)coupon["status"]!, (string)coupon["type"]!, (decimal)coupon["value"]!));
        Assert.Equal(((DateTimeOffset)coupon["assignedAt"]!).AddDays(7), (DateTimeOffset)coupon["expiresAt"]!);
    }

    [Fact]
    public async Task An_order_with_the_code_marks_it_redeemed_and_Coupon_Redeemed_is_in_the_owners_timeline_once()
    {
        var pool = await PoolAsync();
        using var admin = nudge.Admin();
        await UploadAsync(admin, pool, "THANKS-1\nTHANKS-2\n");
        var user = Some.Id("buyer");
        var profile = await ProfileAsync(user);
        var code = (string)(await AssignAsync(admin, pool, profile, "k"))["code"]!;

        await nudge.SendBatchAsync(NudgeApi.ServerKey,
            Some.Track("Coupon Applied", userId: user, properties: new JsonObject { ["coupon_id"] = code.ToLowerInvariant(), ["cart_id"] = "cart_1" }),
            Some.Track("Order Completed", userId: user, properties: new JsonObject { ["order_id"] = "1001", ["revenue"] = 40, ["coupon"] = code }));

        var timeline = await Eventually.ReadUntilAsync(_ => nudge.TimelineAsync(profile),
            events => events.Any(e => (string?)e!["name"] == "Coupon Redeemed") && events.Any(e => (string?)e!["name"] == "Order Completed"), Ct);
        var redeemed = Assert.Single(timeline, e => (string?)e!["name"] == "Coupon Redeemed")!;
        Assert.Contains(code, redeemed.ToJsonString(), StringComparison.Ordinal);
        var coupon = Assert.Single((await admin.GetFromJsonAsync<JsonArray>($"/api/profiles/{profile}/coupons", Ct))!);
        Assert.Equal("redeemed", (string)coupon!["status"]!);
        Assert.Equal(1, (int)(await GetPoolAsync(admin, pool))["stats"]!["redeemed"]!);
    }

    [Fact]
    public async Task A_flow_naming_an_unknown_pool_is_refused_at_save()
    {
        using var admin = nudge.Admin();

        var response = await admin.PostAsJsonAsync("/api/flows", new JsonObject
        {
            ["name"] = "Welcome",
            ["trigger"] = new JsonObject { ["event"] = "Signed Up" },
            ["start"] = "coupon",
            ["steps"] = new JsonObject { ["coupon"] = new JsonObject { ["type"] = "assignCoupon", ["pool"] = "cpl_missing" } },
        }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("steps.coupon.pool", (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task Codes_are_created_in_Shopify_under_one_price_rule_and_only_missing_codes_are_sent_again()
    {
        var connector = await ConnectorAsync();
        var pool = await PoolAsync(connector: connector);
        using var admin = nudge.Admin();
        await admin.PostAsJsonAsync($"/api/coupons/pools/{pool}/generate", new JsonObject { ["count"] = 150, ["pattern"] = "SHOP-########" }, Ct);
        await UploadAsync(admin, pool, "REFUSED-1\n");
        nudge.Shopify.Refuse["REFUSED-1"] = 0;

        var first = await (await admin.PostAsync($"/api/coupons/pools/{pool}/publish", null, Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);

        Assert.Equal(150, (int)first!["published"]!);
        Assert.Contains("is invalid", (string)first["failed"]!["REFUSED-1"]!, StringComparison.Ordinal);
        var rule = (string)first["shopReference"]!;
        Assert.Equal(150, nudge.Shopify.Codes[rule].Count);
        var posted = nudge.Shopify.PriceRules[rule];
        Assert.Equal(("percentage", "-15.0", "line_item"), ((string)posted["value_type"]!, (string)posted["value"]!, (string)posted["target_type"]!));
        Assert.Equal("publish", (string)(await GetPoolAsync(admin, pool))["alerts"]![0]!["kind"]!);

        nudge.Shopify.Refuse.Clear();
        var second = await (await admin.PostAsync($"/api/coupons/pools/{pool}/publish", null, Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);

        Assert.Equal((1, rule), ((int)second!["published"]!, (string)second["shopReference"]!));
        Assert.Single(nudge.Shopify.PriceRules);
        Assert.Equal(151, nudge.Shopify.Codes[rule].Count);
        var view = await GetPoolAsync(admin, pool);
        Assert.Equal(0, (int)view["stats"]!["unpublished"]!);
        Assert.Empty(view["alerts"]!.AsArray());
    }

    [Fact]
    public async Task Publishing_a_pool_without_a_connector_says_what_to_set()
    {
        var pool = await PoolAsync();
        using var admin = nudge.Admin();

        var response = await admin.PostAsync($"/api/coupons/pools/{pool}/publish", null, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("connector", (string)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["field"]!);
    }

    private async Task<string> PoolAsync(int lowThreshold = 0, int? days = null, string? connector = null)
    {
        using var admin = nudge.Admin();
        var response = await admin.PostAsJsonAsync("/api/coupons/pools", new JsonObject
        {
            ["name"] = Some.Id("pool"),
            ["type"] = "percent",
            ["amount"] = 15,
            ["lowThreshold"] = lowThreshold,
            ["validity"] = days is null ? null : new JsonObject { ["days"] = days },
            ["connector"] = connector,
        }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body!.ToJsonString());
        return (string)body["id"]!;
    }

    private static async Task<JsonObject> UploadAsync(HttpClient admin, string pool, string text)
    {
        var response = await admin.PostAsync($"/api/coupons/pools/{pool}/codes", new StringContent(text, Encoding.UTF8, "text/csv"), Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.IsSuccessStatusCode, body!.ToJsonString());
        return body;
    }

    private static async Task<JsonObject> AssignAsync(HttpClient admin, string pool, string profile, string key)
    {
        var response = await admin.PostAsJsonAsync($"/api/coupons/pools/{pool}/assign", new JsonObject { ["profileId"] = profile, ["key"] = key }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.IsSuccessStatusCode, body!.ToJsonString());
        return body;
    }

    private static async Task<JsonObject> GetPoolAsync(HttpClient admin, string pool) =>
        (await admin.GetFromJsonAsync<JsonObject>($"/api/coupons/pools/{pool}", Ct))!;

    private async Task<string> ProfileAsync(string user)
    {
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: new JsonObject { ["email"] = $"{user}@example.com" }));
        return (string)(await nudge.WaitForProfileAsync($"{user}@example.com", _ => true))["id"]!;
    }

    private async Task<string> ConnectorAsync()
    {
        var key = await nudge.Services.GetRequiredService<KeyStore>().FindAsync(NudgeApi.AdminKey, Ct);
        var connector = await nudge.Services.GetRequiredService<ConnectorStore>().CreateAsync(key!.WorkspaceId,
            new ConnectorDraft(ShopPlatform.Shopify, "nudge-test.myshopify.com", "webhook-secret", FakeShopify.Token), Ct);
        return connector.Id;
    }
}
