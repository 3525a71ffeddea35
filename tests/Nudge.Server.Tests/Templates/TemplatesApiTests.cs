using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nudge.Server.Tests.Support;
using Nudge.Storage.Outbox;

namespace Nudge.Server.Tests.Templates;

public sealed class TemplatesApiTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_save_is_a_new_version_and_old_versions_stay_readable()
    {
        using var admin = nudge.Admin();
        var created = await CreateAsync(admin, Email(Some.Id("welcome"), "Welcome, {{ profile.first_name }}"));

        var update = await admin.PutAsJsonAsync($"/api/templates/{created["id"]}", Email((string)created["name"]!, "Hello again"), Ct);
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);

        var current = await admin.GetFromJsonAsync<JsonObject>($"/api/templates/{created["id"]}", Ct);
        Assert.Equal((2L, "Hello again"), ((long)current!["version"]!, (string?)current["subject"]));
        var first = await admin.GetFromJsonAsync<JsonObject>($"/api/templates/{created["id"]}/versions/1", Ct);
        Assert.Equal("Welcome, {{ profile.first_name }}", (string?)first!["subject"]);
        var versions = await admin.GetFromJsonAsync<long[]>($"/api/templates/{created["id"]}/versions", Ct);
        Assert.Equal(new long[] { 2, 1 }, versions);
    }

    [Fact]
    public async Task A_liquid_error_is_refused_with_the_part_line_and_column()
    {
        using var admin = nudge.Admin();
        var body = Email(Some.Id("broken"), "Hi", html: "<p>Hi</p>\n<p>{% if profile.vip %}VIP</p>");

        var response = await admin.PostAsJsonAsync("/api/templates", body, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.NotNull(problem!["errors"]!["html"]);
        var error = problem["templateErrors"]![0]!;
        Assert.Equal(("html", 2), ((string?)error["part"], (int?)error["line"]));
        Assert.NotNull((int?)error["column"]);
        Assert.Contains("endif", (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_reports_unknown_filters_and_missing_partials_without_saving()
    {
        using var admin = nudge.Admin();
        var name = Some.Id("draft");

        var response = await admin.PostAsJsonAsync("/api/templates/validate",
            new JsonObject { ["name"] = name, ["kind"] = "sms", ["body"] = "{{ profile.first_name | shout }} {% render 'nowhere' %}" }, Ct);

        var result = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.False((bool)result!["valid"]!);
        Assert.Equal(["Unknown filter 'shout'", "no partial named 'nowhere' in this workspace"],
            result["errors"]!.AsArray().Select(e => (string?)e!["message"]));
        Assert.DoesNotContain((await admin.GetFromJsonAsync<JsonArray>("/api/templates", Ct))!, t => (string?)t!["name"] == name);
    }

    [Fact]
    public async Task A_preview_with_sample_data_renders_the_layout_and_lists_missing_variables()
    {
        using var admin = nudge.Admin();
        var layout = Some.Id("frame");
        var footer = Some.Id("footer");
        await CreateAsync(admin, new JsonObject { ["name"] = footer, ["kind"] = "partial", ["body"] = "<p><a href=\"{{ links.unsubscribe_url }}\">Unsubscribe</a></p>" });
        await CreateAsync(admin, new JsonObject { ["name"] = layout, ["kind"] = "layout",
            ["body"] = $"<html><head><style>p {{ color: #333 }}</style></head><body>{{{{ content_for_layout }}}}{{% render '{footer}' %}}</body></html>" });
        var template = await CreateAsync(admin, Email(Some.Id("cart"), "{{ profile.first_name }}, your cart",
            html: $"{{% layout '{layout}' %}}<p>Total: {{{{ event.total | money }}}} {{{{ coupon.code }}}}</p>"));

        var response = await admin.PostAsJsonAsync($"/api/templates/{template["id"]}/preview", new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["profile"] = new JsonObject { ["first_name"] = "Ada", ["locale"] = "de-DE" },
                ["event"] = new JsonObject { ["total"] = 49.9, ["currency"] = "EUR" },
                ["links"] = new JsonObject { ["unsubscribe_url"] = "https://news.shop.example/u/1" },
            },
        }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal("Ada, your cart", (string?)preview!["subject"]);
        Assert.Contains("<p style=\"color: #333\">Total: 49,90&nbsp;€ </p>", (string?)preview["html"], StringComparison.Ordinal);
        Assert.Contains("Unsubscribe (https://news.shop.example/u/1)", (string?)preview["text"], StringComparison.Ordinal);
        Assert.Equal(["html:coupon.code"], preview["missing"]!.AsArray().Select(m => $"{m!["part"]}:{m["path"]}"));
    }

    [Fact]
    public async Task A_preview_with_a_real_profile_uses_its_traits()
    {
        using var admin = nudge.Admin();
        var user = Some.Id("user");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: new JsonObject { ["first_name"] = "Grace", ["email"] = $"{user}@example.com" }));
        var profile = await nudge.WaitForProfileAsync(user, p => p["traits"]?["first_name"] is not null);
        var template = await CreateAsync(admin, new JsonObject { ["name"] = Some.Id("sms"), ["kind"] = "sms", ["body"] = "Hi {{ profile.first_name }} ({{ profile.email }})" });

        var preview = await (await admin.PostAsJsonAsync($"/api/templates/{template["id"]}/preview", new JsonObject { ["profileId"] = profile["id"]!.DeepClone() }, Ct))
            .Content.ReadFromJsonAsync<JsonObject>(Ct);

        Assert.Equal($"Hi Grace ({user}@example.com)", (string?)preview!["body"]);
        Assert.Empty(preview["missing"]!.AsArray());
    }

    [Fact]
    public async Task A_preview_with_a_real_profile_shows_what_the_person_viewed_newest_first()
    {
        using var admin = nudge.Admin();
        var user = Some.Id("viewer");
        var (kettle, grinder) = (Some.Id("kettle"), Some.Id("grinder"));
        foreach (var (id, title) in new[] { (kettle, "Gooseneck Kettle"), (grinder, "Burr Grinder") })
        {
            var product = new JsonObject { ["id"] = id, ["title"] = title, ["price"] = 59, ["currency"] = "EUR", ["url"] = $"https://shop.example/p/{id}" };
            Assert.True((await admin.PostAsJsonAsync("/api/catalog/products", product, Ct)).IsSuccessStatusCode);
        }
        var first = Some.Track("Product Viewed", user, properties: new JsonObject { ["product_id"] = kettle });
        first["timestamp"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O");
        var second = Some.Track("Product Viewed", user, properties: new JsonObject { ["product_id"] = grinder });
        second["timestamp"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, first, second);
        var profile = await nudge.WaitForProfileAsync(user, _ => true);
        var template = await CreateAsync(admin, new JsonObject { ["name"] = Some.Id("sms"), ["kind"] = "sms", ["body"] = "{% product_grid products.viewed %}" });

        // The product-interest index follows the event log in the background.
        var preview = await Eventually.ReadUntilAsync(
            async ct => await (await admin.PostAsJsonAsync($"/api/templates/{template["id"]}/preview", new JsonObject { ["profileId"] = profile["id"]!.DeepClone() }, ct))
                .Content.ReadFromJsonAsync<JsonObject>(ct),
            p => ((string?)p!["body"])?.Contains("Kettle", StringComparison.Ordinal) == true, Ct);

        Assert.Equal($"- Burr Grinder – €59.00 https://shop.example/p/{grinder}\n- Gooseneck Kettle – €59.00 https://shop.example/p/{kettle}\n", (string?)preview!["body"]);
    }

    [Fact]
    public async Task A_preview_takes_product_feeds_and_segments_from_its_sample_data()
    {
        using var admin = nudge.Admin();
        var vip = Some.Id("VIP");
        var segment = await admin.PostAsJsonAsync("/api/segments", new JsonObject
        {
            ["name"] = vip,
            ["condition"] = new JsonObject { ["property"] = "traits.vip", ["operator"] = "equals", ["value"] = true },
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, segment.StatusCode);
        var template = await CreateAsync(admin, new JsonObject
        {
            ["name"] = Some.Id("sms"),
            ["kind"] = "sms",
            ["body"] = "{% if segments[\"" + vip + "\"] %}VIP: {% endif %}{{ products.cross_sell[0].name }} / {{ recommendations[0].name }}",
        });

        var preview = await (await admin.PostAsJsonAsync($"/api/templates/{template["id"]}/preview", new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["segments"] = new JsonArray(vip),
                ["products"] = new JsonObject { ["cross_sell"] = new JsonArray(new JsonObject { ["name"] = "Milk Jug" }) },
                ["recommendations"] = new JsonArray(new JsonObject { ["name"] = "Tamper" }),
            },
        }, Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);

        Assert.Equal("VIP: Milk Jug / Tamper", (string?)preview!["body"]);
    }

    [Fact]
    public async Task A_test_send_puts_the_rendered_email_in_the_outbox()
    {
        using var admin = nudge.Admin();
        var to = $"{Some.Id("tester")}@example.com";
        var template = await CreateAsync(admin, Email(Some.Id("promo"), "Hi {{ profile.first_name | default: 'there' }}", preheader: "10% off",
            html: "<p>Use <b>{{ coupon.code }}</b></p>"));

        var response = await admin.PostAsJsonAsync($"/api/templates/{template["id"]}/test-send",
            new JsonObject { ["to"] = to, ["data"] = new JsonObject { ["coupon"] = new JsonObject { ["code"] = "WELCOME10" } } }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var sent = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.StartsWith("test:", (string?)sent!["messageKey"], StringComparison.Ordinal);
        var message = await nudge.Services.GetRequiredService<OutboxStore>().FindAsync((string)sent["messageKey"]!, Ct);
        Assert.NotNull(message);
        Assert.Equal((to, "[Test] Hi there", "pending", "email"), (message.Recipient, message.Subject, message.Status, message.Channel));
        Assert.Contains("<b>WELCOME10</b>", message.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("10% off", message.BodyHtml, StringComparison.Ordinal);
        Assert.Equal("Use WELCOME10\n", message.BodyText);
    }

    [Fact]
    public async Task A_test_send_needs_an_email_address()
    {
        using var admin = nudge.Admin();
        var template = await CreateAsync(admin, Email(Some.Id("promo"), "Hi"));

        var response = await admin.PostAsJsonAsync($"/api/templates/{template["id"]}/test-send", new JsonObject { ["to"] = "not an address" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!["to"]);
    }

    [Fact]
    public async Task Templates_need_the_admin_key_and_unknown_ids_are_404()
    {
        using var anonymous = nudge.CreateClient();
        using var admin = nudge.Admin();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/templates", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/templates/tpl_nothing", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/templates/tpl_nothing/preview", new JsonObject(), Ct)).StatusCode);
    }

    private static async Task<JsonObject> CreateAsync(HttpClient admin, JsonObject body)
    {
        var response = await admin.PostAsJsonAsync("/api/templates", body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static JsonObject Email(string name, string subject, string html = "<p>Hi {{ profile.first_name }}</p>", string? preheader = null) => new()
    {
        ["name"] = name,
        ["kind"] = "email",
        ["subject"] = subject,
        ["preheader"] = preheader,
        ["html"] = html,
    };
}
