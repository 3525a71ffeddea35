using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Catalog;

/// <summary>The product signals through the real server: catalog API in, events on timelines out.</summary>
public abstract class ProductSignalsEndToEndContract(NudgeApi nudge)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Product(string id, decimal price, int quantity) => new()
    {
        ["id"] = id,
        ["title"] = "Espresso Machine " + id,
        ["url"] = $"https://shop.example/p/{id}",
        ["price"] = price,
        ["currency"] = "EUR",
        ["inventoryQuantity"] = quantity,
    };

    private async Task PutAsync(JsonObject product)
    {
        using var admin = nudge.Admin();
        var response = await admin.PutAsJsonAsync($"/api/catalog/products/{product["id"]}", product, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<string> ProfileOfAsync(string userId) =>
        (string)(await nudge.WaitForProfileAsync(userId, _ => true))["id"]!;

    private async Task<JsonArray> WaitForEventsAsync(string profileId, string name, int count = 1) =>
        await Eventually.ReadUntilAsync(
            async _ => new JsonArray((await nudge.TimelineAsync(profileId)).Where(e => (string?)e!["name"] == name).Select(e => e!.DeepClone()).ToArray()),
            events => events.Count >= count, Ct);

    [Fact]
    public async Task A_price_drop_through_the_catalog_api_lands_on_the_timeline_of_a_person_who_viewed_the_product()
    {
        var product = Some.Id("espresso");
        var viewer = Some.Id("viewer");
        var stranger = Some.Id("stranger");
        await PutAsync(Product(product, 400m, 5));
        await nudge.SendBatchAsync(NudgeApi.ServerKey,
            Some.Track("Product Viewed", viewer, properties: new JsonObject { ["product_id"] = product, ["price"] = 400 }),
            Some.Track("Product Viewed", stranger, properties: new JsonObject { ["product_id"] = "something-else" }));
        var viewerProfile = await ProfileOfAsync(viewer);
        var strangerProfile = await ProfileOfAsync(stranger);

        await PutAsync(Product(product, 340m, 5));

        var drops = await WaitForEventsAsync(viewerProfile, "Price Dropped");
        var drop = Assert.Single(drops)!;
        var properties = drop["message"]!["properties"]!;
        Assert.Equal((product, 340m, 400m, 15.0m, "EUR"),
            ((string?)properties["product_id"], (decimal)properties["price"]!, (decimal)properties["reference_price"]!, (decimal)properties["drop_percent"]!, (string?)properties["currency"]));
        Assert.Equal($"https://shop.example/p/{product}", (string?)properties["url"]);
        Assert.DoesNotContain(await nudge.TimelineAsync(strangerProfile), e => (string?)e!["name"] == "Price Dropped");
    }

    [Fact]
    public async Task A_flow_triggered_by_price_dropped_starts_for_the_viewer_with_the_product_as_its_data()
    {
        var product = Some.Id("grinder");
        var viewer = Some.Id("viewer");
        using var admin = nudge.Admin();
        var created = await admin.PostAsJsonAsync("/api/flows", new JsonObject
        {
            ["name"] = "Price drop",
            ["trigger"] = new JsonObject
            {
                ["event"] = "Price Dropped",
                ["where"] = new JsonArray(new JsonObject { ["property"] = "product_id", ["operator"] = "equals", ["value"] = product }),
            },
            ["start"] = "tell",
            ["steps"] = new JsonObject { ["tell"] = new JsonObject { ["type"] = "send", ["channel"] = "email", ["template"] = "tpl_price_drop" } },
        }, Ct);
        var flow = (string)(await created.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/flows/{flow}/activate", null, Ct)).StatusCode);
        await PutAsync(Product(product, 120m, 5));
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track("Product Viewed", viewer, properties: new JsonObject { ["product_id"] = product }));
        var viewerProfile = await ProfileOfAsync(viewer);

        await PutAsync(Product(product, 99m, 5));

        var runs = await Eventually.ReadUntilAsync(
            ct => admin.GetFromJsonAsync<JsonArray>($"/api/profiles/{viewerProfile}/runs", ct), r => r!.Any(run => (string?)run!["flowId"] == flow), Ct);
        var run = runs!.Single(r => (string?)r!["flowId"] == flow)!;
        var detail = await admin.GetFromJsonAsync<JsonObject>($"/api/runs/{run["id"]}", Ct);
        Assert.Equal(99m, (decimal)detail!["trigger"]!["properties"]!["price"]!);
    }

    [Fact]
    public async Task A_price_raised_and_lowered_back_is_no_new_drop()
    {
        var product = Some.Id("grinder");
        var viewer = Some.Id("carter");
        await PutAsync(Product(product, 100m, 5));
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track("Product Added", viewer, properties: new JsonObject { ["product_id"] = product }));
        var profile = await ProfileOfAsync(viewer);
        await PutAsync(Product(product, 80m, 5));
        await WaitForEventsAsync(profile, "Price Dropped");

        await PutAsync(Product(product, 100m, 5));
        await PutAsync(Product(product, 80m, 5));
        await PutAsync(Product(product, 80m, 5));
        // A later, real drop below the 30-day low is told: it also shows the earlier ones were processed.
        await PutAsync(Product(product, 60m, 5));

        var drops = await WaitForEventsAsync(profile, "Price Dropped", 2);
        Assert.Equal([60m, 80m], drops.Select(d => (decimal)d!["message"]!["properties"]!["price"]!));
    }

    [Fact]
    public async Task Asking_to_be_notified_on_the_product_page_brings_back_in_stock_when_it_returns()
    {
        var product = Some.Id("kettle");
        var email = $"{Some.Id("ada")}@example.com";
        var viewer = Some.Id("soldout-viewer");
        await PutAsync(Product(product, 50m, 0));
        using var browser = nudge.Tracking(NudgeApi.BrowserKey);
        var asked = await browser.PostAsJsonAsync("/api/back-in-stock", new JsonObject { ["productId"] = product, ["email"] = email }, Ct);
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track("Product Viewed", viewer, properties: new JsonObject { ["product_id"] = product }));
        var viewerProfile = await ProfileOfAsync(viewer);
        var askerProfile = (string)(await nudge.WaitForProfileAsync(email, _ => true))["id"]!;
        // The view must be indexed while the product is still sold out: wait for the request to show in the timeline first.
        await WaitForEventsAsync(askerProfile, "Back In Stock Requested");

        await PutAsync(Product(product, 50m, 10));

        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var told = Assert.Single(await WaitForEventsAsync(askerProfile, "Back In Stock"))!;
        Assert.Equal((product, "requested", 10), ((string?)told["message"]!["properties"]!["product_id"], (string?)told["message"]!["properties"]!["reason"], (int)told["message"]!["properties"]!["quantity"]!));
        var viewerTold = Assert.Single(await WaitForEventsAsync(viewerProfile, "Back In Stock"))!;
        Assert.Equal("viewed_out_of_stock", (string?)viewerTold["message"]!["properties"]!["reason"]);
    }

    [Fact]
    public async Task A_back_in_stock_request_names_what_is_wrong()
    {
        using var browser = nudge.Tracking(NudgeApi.BrowserKey);
        using var anonymous = nudge.CreateClient();

        var noPerson = await browser.PostAsJsonAsync("/api/back-in-stock", new JsonObject { ["productId"] = "x" }, Ct);
        var badEmail = await browser.PostAsJsonAsync("/api/back-in-stock", new JsonObject { ["productId"] = "x", ["email"] = "not-an-address" }, Ct);
        var unknownProduct = await browser.PostAsJsonAsync("/api/back-in-stock", new JsonObject { ["productId"] = Some.Id("none"), ["email"] = "a@example.com" }, Ct);
        var noKey = await anonymous.PostAsJsonAsync("/api/back-in-stock", new JsonObject { ["productId"] = "x", ["email"] = "a@example.com" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, noPerson.StatusCode);
        Assert.True((await noPerson.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().ContainsKey("email"));
        Assert.True((await badEmail.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().ContainsKey("email"));
        Assert.Equal(HttpStatusCode.NotFound, unknownProduct.StatusCode);
        Assert.Equal("productId", (string?)(await unknownProduct.Content.ReadFromJsonAsync<JsonObject>(Ct))!["field"]);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
    }

    [Fact]
    public async Task Signal_settings_have_defaults_are_replaced_and_refuse_bad_values_by_name()
    {
        using var admin = nudge.Admin();

        var defaults = await admin.GetFromJsonAsync<JsonObject>("/api/catalog/signals", Ct);
        var bad = await admin.PutAsJsonAsync("/api/catalog/signals", new JsonObject { ["minDropPercent"] = 150, ["referenceDays"] = 0, ["colour"] = 1 }, Ct);
        var set = await admin.PutAsJsonAsync("/api/catalog/signals", new JsonObject { ["minDropPercent"] = 10, ["audienceDays"] = 14 }, Ct);
        var after = await admin.GetFromJsonAsync<JsonObject>("/api/catalog/signals", Ct);

        Assert.Equal((10m, 30, 30, 3), ((decimal)defaults!["minDropPercent"]!, (int)defaults["referenceDays"]!, (int)defaults["audienceDays"]!, (int)defaults["waveFactor"]!));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["colour"], (await bad.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(14, (int)after!["audienceDays"]!);
    }
}

public sealed class ProductSignalsEndToEndTests(NudgeApi nudge) : ProductSignalsEndToEndContract(nudge), IClassFixture<NudgeApi>;

public sealed class ProductSignalsOnPostgresTests(NudgeOnPostgres nudge) : ProductSignalsEndToEndContract(nudge), IClassFixture<NudgeOnPostgres>;
