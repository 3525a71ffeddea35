using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Connectors;

public sealed class ConnectorsApiTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_connector_shows_its_webhook_url_and_topics_but_never_its_secret_or_token()
    {
        using var admin = nudge.Admin();

        var created = await admin.PostAsJsonAsync("/api/connectors", new JsonObject
        {
            ["platform"] = "shopify", ["secret"] = "shpss_0123456789abcdef", ["shopDomain"] = "https://Nudge-Demo.myshopify.com/admin",
            ["adminAccessToken"] = "shpat_fedcba9876543210",
        }, Ct);
        var body = await created.Content.ReadAsStringAsync(Ct);
        var connector = JsonNode.Parse(body)!.AsObject();
        var id = (string)connector["id"]!;
        var read = await admin.GetStringAsync($"/api/connectors/{id}", Ct);
        var listed = await admin.GetStringAsync("/api/connectors", Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/connectors/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal(("shopify", "nudge-demo.myshopify.com", true), ((string?)connector["platform"], (string?)connector["shopDomain"], (bool?)connector["hasAdminAccessToken"]));
        Assert.Equal($"http://localhost/webhooks/shopify/{id}", (string?)connector["webhookUrl"]);
        Assert.Equal(12, connector["topics"]!.AsArray().Count);
        Assert.Contains(connector["topics"]!.AsArray(), t => (string?)t!["topic"] == "orders/create" && (string?)t["mapsTo"] == "Order Completed");
        foreach (var text in new[] { body, read, listed })
        {
            Assert.DoesNotContain("shpss_0123456789abcdef", text, StringComparison.Ordinal);
            Assert.DoesNotContain("shpat_fedcba9876543210", text, StringComparison.Ordinal);
        }
        Assert.Contains(id, listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_connector_is_refused_naming_every_wrong_field()
    {
        using var admin = nudge.Admin();

        var response = await admin.PostAsJsonAsync("/api/connectors", new JsonObject
        {
            ["platform"] = "magento", ["secret"] = "", ["shopDomain"] = "not a domain", ["color"] = "red",
        }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject();
        Assert.Equal(["color", "platform", "secret", "shopDomain"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_deleted_connectors_webhook_url_answers_404()
    {
        var shop = await Shop.ConnectAsync(nudge, "woocommerce");
        using var admin = nudge.Admin();

        var deleted = await admin.DeleteAsync($"/api/connectors/{shop.Id}", Ct);
        var webhook = await shop.SendAsync("order.created", Shop.Payload("woocommerce/order-created.json"));

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound), (deleted.StatusCode, webhook.StatusCode));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/connectors/{shop.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/connectors/{shop.Id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_webhook_on_another_platforms_path_is_not_found()
    {
        var shop = await Shop.ConnectAsync(nudge, "shopify");
        using var client = nudge.CreateClient();

        var response = await client.PostAsync($"/webhooks/woocommerce/{shop.Id}", new StringContent("{}"), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Deliveries_can_be_filtered_by_status_and_bad_filters_are_named()
    {
        var shop = await Shop.ConnectAsync(nudge, "shopify");
        await shop.SendAsync("app/uninstalled", "{\"id\":548380009}");
        await shop.SettledDeliveriesAsync(1);
        using var admin = nudge.Admin();

        var ignored = await admin.GetFromJsonAsync<JsonArray>($"/api/connectors/{shop.Id}/deliveries?status=ignored", Ct);
        var failed = await admin.GetFromJsonAsync<JsonArray>($"/api/connectors/{shop.Id}/deliveries?status=failed", Ct);
        var bad = await admin.GetAsync($"/api/connectors/{shop.Id}/deliveries?status=lost", Ct);

        Assert.Single(ignored!);
        Assert.Empty(failed!);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("status", (string?)(await bad.Content.ReadFromJsonAsync<JsonObject>(Ct))!["field"]);
    }
}

/// <summary>A Nudge whose connectors may post 3 webhooks a second.</summary>
public sealed class NudgeWithConnectorLimit : NudgeApi
{
    public NudgeWithConnectorLimit() => Settings["Nudge:Connectors:RequestsPerSecondPerConnector"] = "3";
}

public sealed class ConnectorRateLimitTests(NudgeWithConnectorLimit nudge) : IClassFixture<NudgeWithConnectorLimit>
{
    [Fact]
    public async Task A_connector_sending_faster_than_its_limit_gets_429_while_another_connector_is_served()
    {
        var busy = await Shop.ConnectAsync(nudge, "shopify");
        var other = await Shop.ConnectAsync(nudge, "shopify");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
            answers.Add((await busy.SendAsync("carts/update", "{\"id\":\"c1\"}")).StatusCode);
        var elsewhere = await other.SendAsync("carts/update", "{\"id\":\"c1\"}");

        Assert.Contains(HttpStatusCode.TooManyRequests, answers);
        Assert.Equal(HttpStatusCode.OK, answers[0]);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }
}
