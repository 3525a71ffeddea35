using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Ingestion;

public sealed class TrackingApiTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_batch_is_acknowledged_and_shows_up_on_the_profile()
    {
        var user = Some.Id("user");
        var reply = await nudge.SendBatchAsync(NudgeApi.ServerKey,
            Some.Identify(user, traits: new JsonObject { ["email"] = $"{user}@example.com", ["first_name"] = "Ada" }),
            Some.Track("Product Viewed", user, properties: new JsonObject { ["product_id"] = "sku-1", ["name"] = "Walnut Desk" }));

        Assert.Equal(2, (int)reply["accepted"]!);
        var profile = await nudge.WaitForProfileAsync(user, p => (int)p["computed"]!["eventCount"]! == 2);
        Assert.Equal("Ada", (string?)profile["traits"]!["first_name"]);
        Assert.Equal("sku-1", (string?)profile["computed"]!["lastProductViewed"]!["productId"]);
    }

    [Fact]
    public async Task A_resent_batch_creates_nothing_twice()
    {
        var user = Some.Id("user");
        var batch = new[] { Some.OrderCompleted(user, "o-1", 40m), Some.Track("Product Viewed", user) };

        var first = await nudge.SendBatchAsync(NudgeApi.ServerKey, batch);
        var second = await nudge.SendBatchAsync(NudgeApi.ServerKey, batch.Select(m => (JsonObject)m.DeepClone()).ToArray());

        Assert.Equal(2, (int)first["accepted"]!);
        Assert.Equal(0, (int)second["accepted"]!);
        Assert.Equal(2, (int)second["duplicates"]!);
        var profile = await nudge.WaitForProfileAsync(user, p => (int)p["computed"]!["eventCount"]! >= 2);
        Assert.Equal(2, (int)profile["computed"]!["eventCount"]!);
        Assert.Equal(1, (int)profile["computed"]!["orderCount"]!);
    }

    [Fact]
    public async Task Gzip_bodies_with_a_form_content_type_are_accepted()
    {
        var user = Some.Id("user");
        var json = new JsonObject { ["batch"] = new JsonArray(Some.Track("Cart Viewed", user)) }.ToJsonString();
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(json), Ct);
        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        content.Headers.ContentEncoding.Add("gzip");

        using var client = nudge.Tracking();
        var response = await client.PostAsync("/v1/batch", content, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await nudge.WaitForProfileAsync(user, _ => true);
    }

    [Fact]
    public async Task Text_plain_bodies_with_the_write_key_in_the_body_are_accepted()
    {
        var anonymous = Some.Id("anon");
        var message = Some.Page("Home", anonymousId: anonymous);
        message["writeKey"] = NudgeApi.BrowserKey;
        using var client = nudge.CreateClient();

        var response = await client.PostAsync("/v1/page", new StringContent(message.ToJsonString(), Encoding.UTF8, "text/plain"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_body_without_a_content_type_is_accepted()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Some.Track("Product Viewed", Some.Id("user")).ToJsonString()));
        using var client = nudge.Tracking();

        var response = await client.PostAsync("/v1/track", content, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/v1/track", """{"event":"Product Viewed","userId":"u-track"}""")]
    [InlineData("/v1/identify", """{"userId":"u-identify","traits":{"plan":"gold"}}""")]
    [InlineData("/v1/page", """{"anonymousId":"a-page","name":"Home"}""")]
    [InlineData("/v1/screen", """{"anonymousId":"a-screen","name":"Cart"}""")]
    [InlineData("/v1/group", """{"userId":"u-group","groupId":"g-1"}""")]
    [InlineData("/v1/alias", """{"userId":"u-alias","previousId":"a-alias"}""")]
    public async Task Every_tracking_call_has_its_own_endpoint(string path, string body)
    {
        using var client = nudge.Tracking();
        var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_write_key_is_refused_with_401()
    {
        using var client = nudge.Tracking("nk_srv_not_a_key");
        var response = await client.PostAsJsonAsync("/v1/track", Some.Track("Product Viewed", "u"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_request_without_a_write_key_is_refused_with_401()
    {
        using var client = nudge.CreateClient();
        var response = await client.PostAsJsonAsync("/v1/track", Some.Track("Product Viewed", "u"), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_admin_key_is_not_a_write_key()
    {
        using var client = nudge.Tracking(NudgeApi.AdminKey);
        var response = await client.PostAsJsonAsync("/v1/track", Some.Track("Product Viewed", "u"), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_batch_over_500_kb_is_refused_with_413()
    {
        var messages = Enumerable.Range(0, 40).Select(_ =>
            Some.Track("Product Viewed", "u-big", properties: new JsonObject { ["blob"] = new string('x', 15_000) }));
        using var client = nudge.Tracking();

        var response = await client.PostAsJsonAsync("/v1/batch", new JsonObject { ["batch"] = new JsonArray(messages.ToArray<JsonNode>()) }, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task An_event_over_32_kb_is_refused_with_413_naming_its_index()
    {
        var user = Some.Id("user");
        using var client = nudge.Tracking();
        var batch = new JsonArray(
            Some.Track("Product Viewed", user),
            Some.Track("Product Viewed", user, properties: new JsonObject { ["blob"] = new string('x', 40_000) }));

        var response = await client.PostAsJsonAsync("/v1/batch", new JsonObject { ["batch"] = batch }, Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("batch[1]", (string?)problem!["field"]);
        await AssertNothingStoredAsync(user);
    }

    [Theory]
    [InlineData("""{"type":"track","event":"Product Viewed"}""", "batch[1].userId")]
    [InlineData("""{"type":"launch","userId":"u"}""", "batch[1].type")]
    [InlineData("""{"type":"track","event":"Product Viewed","userId":"u","timestamp":"yesterday"}""", "batch[1].timestamp")]
    [InlineData("""{"type":"track","userId":"u"}""", "batch[1].event")]
    [InlineData("""{"userId":"u","event":"Product Viewed"}""", "batch[1].type")]
    [InlineData("""{"type":"group","userId":"u"}""", "batch[1].groupId")]
    public async Task An_invalid_message_rejects_the_whole_batch_naming_index_and_field(string invalid, string field)
    {
        var user = Some.Id("user");
        var body = $$"""{"batch":[{{Some.Track("Product Viewed", user).ToJsonString()}},{{invalid}}]}""";
        using var client = nudge.Tracking();

        var response = await client.PostAsync("/v1/batch", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem!["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        await AssertNothingStoredAsync(user);
    }

    [Fact]
    public async Task Malformed_json_is_refused_with_400()
    {
        using var client = nudge.Tracking();
        var response = await client.PostAsync("/v1/batch", new StringContent("{\"batch\": [", Encoding.UTF8, "application/json"), Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem!["errors"]!.AsObject().ContainsKey("body"));
    }

    [Fact]
    public async Task Client_clock_skew_is_corrected_from_sent_at()
    {
        var user = Some.Id("user");
        var message = Some.Track("Product Viewed", user);
        // The client's clock runs one hour behind: it says it sent now-1h an event from now-1h-5min.
        var clientNow = DateTimeOffset.UtcNow.AddHours(-1);
        message["timestamp"] = clientNow.AddMinutes(-5).ToString("O");
        message["sentAt"] = clientNow.ToString("O");

        await nudge.SendBatchAsync(NudgeApi.ServerKey, message);
        var profile = await nudge.WaitForProfileAsync(user, _ => true);
        var events = await nudge.TimelineAsync((string)profile["id"]!);
        var timestamp = DateTimeOffset.Parse((string)events[0]!["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture);

        Assert.InRange(DateTimeOffset.UtcNow - timestamp, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(6));
    }

    [Fact]
    public async Task The_analytics_js_settings_point_the_browser_at_this_server()
    {
        using var client = nudge.CreateClient();
        var settings = await client.GetFromJsonAsync<JsonObject>($"/v1/projects/{NudgeApi.BrowserKey}/settings", Ct);

        var segment = settings!["integrations"]!["Segment.io"]!;
        Assert.Equal(NudgeApi.BrowserKey, (string?)segment["apiKey"]);
        Assert.EndsWith("/v1", (string?)segment["apiHost"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_for_an_unknown_write_key_are_not_found()
    {
        using var client = nudge.CreateClient();
        var response = await client.GetAsync("/v1/projects/nope/settings", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task AssertNothingStoredAsync(string user)
    {
        // The valid first message of the rejected batch must not have reached the log either: once a marker
        // sent afterwards has been applied, the profile holds the marker alone.
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track("Marker", user));
        var profile = await nudge.WaitForProfileAsync(user, _ => true);
        Assert.Equal(1, (int)profile["computed"]!["eventCount"]!);
    }
}
