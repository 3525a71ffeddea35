using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Coupons;

/// <summary>A flow that assigns a coupon and then sends an email: the code the person got is the one in the mail.</summary>
public sealed class FlowCouponTests(NudgeWithSmtp nudge) : IClassFixture<NudgeWithSmtp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_welcome_flow_assigns_a_code_and_the_email_shows_it_with_its_value_and_expiry()
    {
        using var admin = nudge.Admin();
        var pool = await CreatedAsync(admin, "/api/coupons/pools", new JsonObject
        {
            ["name"] = "Welcome", ["type"] = "percent", ["amount"] = 10, ["validity"] = new JsonObject { ["days"] = 14 },
        });
        await admin.PostAsync($"/api/coupons/pools/{pool}/codes", new StringContent("WELCOME-7K4M\nWELCOME-9QXR\n", Encoding.UTF8, "text/plain"), Ct);
        var template = await CreatedAsync(admin, "/api/templates", new JsonObject
        {
            ["name"] = Some.Id("welcome"), ["kind"] = "email", ["subject"] = "Welcome",
            ["html"] = "<p>Use <b>{{ coupon.code }}</b> for {{ coupon.value }} % off until {{ coupon.expires_at | date: '%Y-%m-%d' }}.</p>",
        });
        var signup = Some.Id("Signed Up");
        var flow = await CreatedAsync(admin, "/api/flows", new JsonObject
        {
            ["name"] = "Welcome",
            ["trigger"] = new JsonObject { ["event"] = signup },
            ["start"] = "coupon",
            ["steps"] = new JsonObject
            {
                ["coupon"] = new JsonObject { ["type"] = "assignCoupon", ["pool"] = pool, ["next"] = "mail" },
                ["mail"] = new JsonObject { ["type"] = "send", ["channel"] = "email", ["template"] = template },
            },
        });
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/flows/{flow}/activate", null, Ct)).StatusCode);
        var user = Some.Id("ada");

        await nudge.SendBatchAsync(NudgeApi.ServerKey,
            Some.Identify(user, traits: new JsonObject { ["email"] = $"{user}@example.com", ["consent"] = new JsonObject { ["email"] = true } }),
            Some.Track(signup, userId: user));

        var mail = await nudge.ReceivedEmailAsync($"{user}@example.com");
        var profile = (string)(await nudge.WaitForProfileAsync(user, _ => true))["id"]!;
        var coupon = Assert.Single((await admin.GetFromJsonAsync<JsonArray>($"/api/profiles/{profile}/coupons", Ct))!)!;
        var code = (string)coupon["code"]!;
        var expires = ((DateTimeOffset)coupon["expiresAt"]!).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"<b>{code}</b> for 10 % off until {expires}", mail.HtmlBody, StringComparison.Ordinal);
        Assert.NotNull(coupon["runId"]);
        var run = await admin.GetFromJsonAsync<JsonObject>($"/api/runs/{coupon["runId"]}", Ct);
        Assert.Contains($"coupon {code} from {pool}", run!.ToJsonString(), StringComparison.Ordinal);
    }

    private static async Task<string> CreatedAsync(HttpClient admin, string path, JsonObject body)
    {
        var response = await admin.PostAsJsonAsync(path, body, Ct);
        var created = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, created!.ToJsonString());
        return (string)created["id"]!;
    }
}
