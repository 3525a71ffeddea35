using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Push;

public sealed class PushSubscriptionsApiTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_browser_subscription_joins_the_visitors_profile_and_records_push_consent()
    {
        var (userId, anonymousId, profileId) = await CustomerAsync();
        var endpoint = Endpoint();

        var response = await SubscribeAsync(nudge.Tracking(NudgeApi.BrowserKey), Subscription(endpoint, anonymousId: anonymousId));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("subscribed", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["status"]);
        var consent = await WaitForPushConsentAsync(profileId);
        Assert.Equal("push subscription", (string?)consent["history"]![0]!["source"]);
        using var admin = nudge.Admin();
        var browsers = (await admin.GetFromJsonAsync<JsonArray>($"/api/profiles/{profileId}/push-subscriptions", Ct))!;
        Assert.Equal([endpoint], browsers.Select(b => (string?)b!["endpoint"]));
        Assert.Equal("push.example", (string?)browsers[0]!["pushService"]);
        Assert.DoesNotContain("p256dh", browsers.ToJsonString(), StringComparison.Ordinal);
        var timeline = await nudge.TimelineAsync(profileId);
        Assert.Contains(timeline, e => (string?)e!["name"] == "Push Subscribed");
        Assert.NotNull(userId);
    }

    [Fact]
    public async Task Posting_a_known_subscription_again_updates_it_without_a_second_consent_entry()
    {
        var (_, anonymousId, profileId) = await CustomerAsync();
        var endpoint = Endpoint();
        await SubscribeAsync(nudge.Tracking(NudgeApi.BrowserKey), Subscription(endpoint, anonymousId: anonymousId));
        await WaitForPushConsentAsync(profileId);

        var again = await SubscribeAsync(nudge.Tracking(NudgeApi.BrowserKey), Subscription(endpoint, anonymousId: anonymousId));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("updated", (string?)(await again.Content.ReadFromJsonAsync<JsonObject>(Ct))!["status"]);
        var timeline = await Eventually.ReadUntilAsync(_ => nudge.TimelineAsync(profileId),
            t => t.Count(e => (string?)e!["name"] == "Push Subscribed") == 2, Ct);
        Assert.Equal(2, timeline.Count(e => (string?)e!["name"] == "Push Subscribed"));
        using var admin = nudge.Admin();
        var consent = await admin.GetFromJsonAsync<JsonObject>($"/api/profiles/{profileId}/consent", Ct);
        Assert.Single(consent!["history"]!.AsArray());
    }

    [Fact]
    public async Task The_write_key_may_come_in_the_body_as_page_scripts_without_headers_send_it()
    {
        var body = Subscription(Endpoint(), anonymousId: Some.Id("anon"));
        body["writeKey"] = NudgeApi.BrowserKey;

        var response = await SubscribeAsync(nudge.CreateClient(), body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_subscription_with_bad_parts_names_every_field_that_is_wrong()
    {
        var notOnCurve = new byte[65];
        notOnCurve[0] = 0x04;
        var body = new JsonObject
        {
            ["subscription"] = new JsonObject
            {
                ["endpoint"] = "http://push.example/send/1",
                ["keys"] = new JsonObject { ["p256dh"] = Base64Url.EncodeToString(notOnCurve), ["auth"] = Base64Url.EncodeToString(new byte[15]) },
            },
        };

        var response = await SubscribeAsync(nudge.Tracking(NudgeApi.BrowserKey), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(["subscription.endpoint", "subscription.keys.auth", "subscription.keys.p256dh", "userId"],
            problem!["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_missing_subscription_is_named()
    {
        var response = await SubscribeAsync(nudge.Tracking(NudgeApi.BrowserKey), new JsonObject { ["anonymousId"] = "a-1" });

        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["subscription"], problem!["errors"]!.AsObject().Select(e => e.Key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("nk_pub_unknown")]
    [InlineData(NudgeApi.AdminKey)]
    public async Task Only_a_write_key_may_subscribe(string? key)
    {
        var client = key is null ? nudge.CreateClient() : nudge.Tracking(key);

        var response = await SubscribeAsync(client, Subscription(Endpoint(), anonymousId: "a-1"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_deleted_subscription_is_gone_and_its_person_sees_why()
    {
        var (_, anonymousId, profileId) = await CustomerAsync();
        var endpoint = Endpoint();
        await SubscribeAsync(nudge.Tracking(NudgeApi.BrowserKey), Subscription(endpoint, anonymousId: anonymousId));
        using var browser = nudge.Tracking(NudgeApi.BrowserKey);

        var deleted = await browser.DeleteAsync($"/api/push/subscriptions?endpoint={Uri.EscapeDataString(endpoint)}", Ct);
        var again = await browser.DeleteAsync($"/api/push/subscriptions?endpoint={Uri.EscapeDataString(endpoint)}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        using var admin = nudge.Admin();
        Assert.Empty((await admin.GetFromJsonAsync<JsonArray>($"/api/profiles/{profileId}/push-subscriptions", Ct))!);
        var timeline = await Eventually.ReadUntilAsync(_ => nudge.TimelineAsync(profileId),
            t => t.Any(e => (string?)e!["name"] == "Push Unsubscribed"), Ct);
        Assert.Contains(timeline, e => (string?)e!["name"] == "Push Unsubscribed");
    }

    [Fact]
    public async Task The_vapid_public_key_is_a_P256_point_that_stays_the_same()
    {
        using var client = nudge.CreateClient();

        var first = await client.GetFromJsonAsync<JsonObject>($"/v1/push/{NudgeApi.BrowserKey}/vapid-public-key", Ct);
        var second = await client.GetFromJsonAsync<JsonObject>($"/v1/push/{NudgeApi.ServerKey}/vapid-public-key", Ct);
        var unknown = await client.GetAsync("/v1/push/nk_pub_unknown/vapid-public-key", Ct);

        var key = Base64Url.DecodeFromChars((string)first!["publicKey"]!);
        Assert.Equal(65, key.Length);
        Assert.Equal(0x04, key[0]);
        Assert.Equal((string?)first["publicKey"], (string?)second!["publicKey"]);
        Assert.Single(first);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Nudge_serves_the_service_worker_and_the_subscribe_script()
    {
        using var client = nudge.CreateClient();

        var worker = await client.GetAsync("/push/sw.js", Ct);
        var script = await client.GetAsync("/push/subscribe.js", Ct);

        Assert.Equal("text/javascript", worker.Content.Headers.ContentType!.MediaType);
        Assert.Contains("showNotification", await worker.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("pushManager.subscribe", await script.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shop_pages_on_other_origins_may_post_and_delete_subscriptions()
    {
        using var client = nudge.CreateClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/push/subscriptions");
        preflight.Headers.Add("Origin", "https://shop.example");
        preflight.Headers.Add("Access-Control-Request-Method", "DELETE");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        var response = await client.SendAsync(preflight, Ct);

        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("DELETE", string.Join(',', response.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erasing_a_person_removes_their_browsers()
    {
        var (_, anonymousId, profileId) = await CustomerAsync();
        await SubscribeAsync(nudge.Tracking(NudgeApi.BrowserKey), Subscription(Endpoint(), anonymousId: anonymousId));
        using var admin = nudge.Admin();
        var store = nudge.Services.GetRequiredService<Nudge.Storage.Push.PushSubscriptionStore>();
        Assert.Single(await store.ForProfileAsync(await WorkspaceAsync(), profileId, Ct));

        var erased = await admin.DeleteAsync($"/api/profiles/{profileId}", Ct);

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Empty(await store.ForProfileAsync(await WorkspaceAsync(), profileId, Ct));
    }

    [Fact]
    public void The_server_offers_one_sender_per_channel_for_the_delivery_worker()
    {
        Assert.Same(nudge.Services.GetRequiredService<Nudge.Channels.Sms.SmsSender>(), nudge.Services.GetRequiredService<Nudge.Channels.Sms.SmsSender>());
        Assert.Same(nudge.Services.GetRequiredService<Nudge.Channels.Webhooks.WebhookSender>(),
            nudge.Services.GetRequiredService<Nudge.Channels.Webhooks.WebhookSender>());
        var first = nudge.Services.GetRequiredService<Nudge.Channels.Push.WebPushSender>();
        var second = nudge.Services.GetRequiredService<Nudge.Channels.Push.WebPushSender>();

        Assert.Same(first, second);
    }

    internal static JsonObject Subscription(string endpoint, string? anonymousId = null, string? userId = null)
    {
        using var browser = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var q = browser.ExportParameters(false).Q;
        var body = new JsonObject
        {
            ["subscription"] = new JsonObject
            {
                ["endpoint"] = endpoint,
                ["expirationTime"] = null,
                ["keys"] = new JsonObject
                {
                    ["p256dh"] = Base64Url.EncodeToString([0x04, .. q.X!, .. q.Y!]),
                    ["auth"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
                },
            },
        };
        if (anonymousId is not null)
            body["anonymousId"] = anonymousId;
        if (userId is not null)
            body["userId"] = userId;
        return body;
    }

    internal static string Endpoint() => "https://push.example/send/" + Guid.NewGuid().ToString("N");

    private static async Task<HttpResponseMessage> SubscribeAsync(HttpClient client, JsonObject body)
    {
        using (client)
            return await client.PostAsJsonAsync("/api/push/subscriptions", body, Ct);
    }

    /// <summary>A customer the shop's back end identified, browsing with an anonymous id it linked (ADR 0005).</summary>
    private async Task<(string UserId, string AnonymousId, string ProfileId)> CustomerAsync()
    {
        var userId = Some.Id("cust");
        var anonymousId = Some.Id("anon");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(userId, anonymousId, new JsonObject { ["email"] = $"{userId}@example.com" }));
        var profile = await nudge.WaitForProfileAsync(userId, p => p["id"] is not null);
        return (userId, anonymousId, (string)profile["id"]!);
    }

    private async Task<string> WorkspaceAsync()
    {
        var keys = nudge.Services.GetRequiredService<Nudge.Storage.Keys.KeyStore>();
        return (await keys.FindAsync(NudgeApi.BrowserKey, Ct))!.WorkspaceId;
    }

    private async Task<JsonObject> WaitForPushConsentAsync(string profileId)
    {
        using var admin = nudge.Admin();
        return await Eventually.ReadUntilAsync(
            async ct => (await admin.GetFromJsonAsync<JsonObject>($"/api/profiles/{profileId}/consent", ct))!,
            c => (string?)c["channels"]!["push"]!["status"] == "subscribed", Ct);
    }
}

public sealed class PushSubscriptionRateLimitTests
{
    [Fact]
    public async Task Subscriptions_are_rate_limited_per_client()
    {
        await using var nudge = new NudgeApi();
        nudge.Settings["Nudge:Push:SubscriptionsPerMinutePerClient"] = "2";
        using var client = nudge.Tracking(NudgeApi.BrowserKey);

        var responses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            var body = PushSubscriptionsApiTests.Subscription(PushSubscriptionsApiTests.Endpoint(), anonymousId: "a-" + i);
            responses.Add((await client.PostAsJsonAsync("/api/push/subscriptions", body, TestContext.Current.CancellationToken)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], responses);
    }
}
