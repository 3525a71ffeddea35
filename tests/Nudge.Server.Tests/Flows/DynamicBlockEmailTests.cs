using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Lists;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Flows;

/// <summary>Dynamic blocks in a sent email: the cart completed from the catalog, recommendations, segment-conditional content.</summary>
public sealed class DynamicBlockEmailTests(NudgeWithSmtp nudge) : IClassFixture<NudgeWithSmtp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_cart_email_shows_the_cart_from_the_catalog_the_cross_sell_and_the_vip_block()
    {
        var shoe = Some.Id("shoe");
        var socks = Some.Id("socks");
        var tier = Some.Id("tier");
        await ProductAsync(new JsonObject
        {
            ["id"] = shoe, ["title"] = "Trail Runner", ["price"] = 89.9, ["currency"] = "EUR", ["inventoryQuantity"] = 4,
            ["url"] = $"https://shop.example/p/{shoe}", ["imageUrl"] = $"https://cdn.shop.example/{shoe}.jpg",
            ["marketing"] = new JsonObject { ["complementaryProductIds"] = new JsonArray(socks) },
        });
        await ProductAsync(new JsonObject
        {
            ["id"] = socks, ["title"] = "Merino Socks", ["price"] = 14, ["compareAtPrice"] = 19, ["currency"] = "EUR", ["inventoryQuantity"] = 40,
            ["url"] = $"https://shop.example/p/{socks}", ["imageUrl"] = $"https://cdn.shop.example/{socks}.jpg",
        });
        var vip = await SegmentAsync($"VIP {tier}", new JsonObject { ["property"] = "traits.tier", ["operator"] = "equals", ["value"] = tier });
        var checkout = Some.Id("Checkout Started");
        var template = await nudge.EmailTemplateAsync(
            "Still thinking it over?",
            $$$"""
            <h1>Your cart</h1>
            {% product_grid products.trigger, columns: 2, button: "Back to your cart" %}
            <h2>Goes well with</h2>
            {% product_grid recommendations, limit: 3 %}
            {% if segments["VIP {{{tier}}}"] %}<p id="vip">Free express shipping for you.</p>{% else %}<p id="others">Join the club.</p>{% endif %}
            """);
        await nudge.LiveEmailFlowAsync(checkout, template);
        var member = Some.Id("ada");
        var other = Some.Id("bob");

        foreach (var (user, userTier) in new[] { (member, tier), (other, "none") })
        {
            await nudge.SendBatchAsync(NudgeApi.ServerKey,
                Some.Identify(user, traits: new JsonObject { ["email"] = $"{user}@example.com", ["tier"] = userTier, ["consent"] = new JsonObject { ["email"] = true } }));
            if (user == member)
                await MemberAsync(user, vip);
            // A shop's tracking sends the product id and little else: the catalog fills in the rest.
            await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track(checkout, userId: user, properties: new JsonObject
            {
                ["currency"] = "EUR",
                ["products"] = new JsonArray(new JsonObject { ["product_id"] = shoe, ["quantity"] = 2, ["price"] = 89.9 }),
            }));
        }

        var mail = (await nudge.ReceivedEmailAsync($"{member}@example.com")).HtmlBody!;
        var otherMail = (await nudge.ReceivedEmailAsync($"{other}@example.com")).HtmlBody!;
        Assert.Contains($"<img src=\"https://cdn.shop.example/{shoe}.jpg\" alt=\"Trail Runner\"", mail, StringComparison.Ordinal);
        Assert.Contains("Trail Runner</a> × 2", mail, StringComparison.Ordinal);
        Assert.Contains("Back to your cart</a>", mail, StringComparison.Ordinal);
        Assert.Contains("Merino Socks", mail, StringComparison.Ordinal);
        Assert.Contains("€19.00</s> €14.00", mail, StringComparison.Ordinal);
        Assert.Equal(1, Count(mail, "Trail Runner</a>"));
        Assert.Contains("Free express shipping for you.", mail, StringComparison.Ordinal);
        Assert.DoesNotContain("Join the club.", mail, StringComparison.Ordinal);
        Assert.Contains("Join the club.", otherMail, StringComparison.Ordinal);
        Assert.DoesNotContain("Free express shipping", otherMail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_naming_a_segment_the_workspace_does_not_have_is_refused_with_its_position()
    {
        using var admin = nudge.Admin();

        var response = await admin.PostAsJsonAsync("/api/templates", new JsonObject
        {
            ["name"] = Some.Id("vip"),
            ["kind"] = "email",
            ["subject"] = "s",
            ["html"] = "<p>\n{% if segments[\"No such segment\"] %}x{% endif %}</p>",
        }, Ct);

        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = problem!["templateErrors"]![0]!;
        Assert.Equal("no segment named 'No such segment' in this workspace", (string?)error["message"]);
        Assert.Equal(2, (int?)error["line"]);
    }

    private async Task ProductAsync(JsonObject product)
    {
        using var admin = nudge.Admin();
        var response = await admin.PostAsJsonAsync("/api/catalog/products", product, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<string> SegmentAsync(string name, JsonObject condition)
    {
        using var admin = nudge.Admin();
        var response = await admin.PostAsJsonAsync("/api/segments", new JsonObject { ["name"] = name, ["condition"] = condition }, Ct);
        var created = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, created?.ToJsonString());
        var id = (string)created!["id"]!;
        await Eventually.ReadUntilAsync(ct => admin.GetFromJsonAsync<JsonObject>($"/api/segments/{id}", ct), s => (string?)s!["status"] == "ready", Ct);
        return id;
    }

    private async Task MemberAsync(string user, string segmentId)
    {
        using var admin = nudge.Admin();
        var profile = await nudge.WaitForProfileAsync(user, _ => true);
        var rows = await Eventually.ReadUntilAsync(
            ct => admin.GetOrNullAsync<JsonArray>($"/api/profiles/{profile["id"]}/segments", ct),
            r => r?.Any(x => (string?)x!["segmentId"] == segmentId && (bool?)x["member"] == true) == true, Ct);
        Assert.Contains(rows!, x => (string?)x!["segmentId"] == segmentId && (bool?)x["member"] == true);
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
