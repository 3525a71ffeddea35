using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Nudge.Channels.Delivery;
using Nudge.Channels.Push;
using Nudge.Channels.Tests.Support;
using Nudge.Storage.Push;

namespace Nudge.Channels.Tests.Push;

public sealed class WebPushSenderTests : IAsyncLifetime
{
    private const string Workspace = "ws_shop";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new();
    private readonly ECDiffieHellman _browser = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _auth = RandomNumberGenerator.GetBytes(16);
    private TestDatabase _database = null!;
    private LocalHttpServer _pushService = null!;
    private PushSubscriptionStore _subscriptions = null!;
    private WorkspaceVapidKeys _vapid = null!;
    private WebPushSender _sender = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(Ct);
        _pushService = await LocalHttpServer.StartAsync(Ct);
        _pushService.DefaultReply = new FakeReply(201, Headers: new() { ["Location"] = "https://push.example/m/42" });
        _subscriptions = new PushSubscriptionStore(_database.Database);
        _vapid = new WorkspaceVapidKeys(new VapidKeyStore(_database.Database, _time));
        var options = Options.Create(new WebPushOptions { Subject = "mailto:ops@shop.example", Timeout = TimeSpan.FromSeconds(10) });
        _sender = new WebPushSender(_http, _subscriptions, _vapid, options, _time);
    }

    public async ValueTask DisposeAsync()
    {
        await _pushService.DisposeAsync();
        await _database.DisposeAsync();
        _http.Dispose();
        _browser.Dispose();
    }

    [Fact]
    public async Task What_Nudge_sends_is_decrypted_by_the_npm_web_push_library()
    {
        var subscription = await SubscribeAsync();
        var message = new PushMessage("Still thinking about it?", "Your cart is waiting: 2 items", "https://shop.example/cart", Tag: "cart");

        var outcome = await _sender.SendAsync(subscription, message, ct: Ct);

        Assert.Equal(SendOutcomeKind.Accepted, outcome.Kind);
        Assert.Equal("https://push.example/m/42", outcome.ProviderMessageId);
        var received = Assert.Single(_pushService.Received);
        var decrypted = await DecryptWithWebPushAsync(received.Body);
        var payload = JsonNode.Parse(decrypted)!;
        Assert.Equal(("Still thinking about it?", "Your cart is waiting: 2 items", "https://shop.example/cart", "cart"),
            ((string?)payload["title"], (string?)payload["body"], (string?)payload["url"], (string?)payload["tag"]));
        Assert.Null(payload["icon"]);
    }

    [Fact]
    public async Task The_request_carries_the_encoding_ttl_urgency_and_a_vapid_token_the_push_service_can_verify()
    {
        var subscription = await SubscribeAsync();

        await _sender.SendAsync(subscription, new PushMessage("Hi"), new PushSendOptions(TimeSpan.FromHours(6), PushUrgency.High, "cart"), Ct);

        var received = Assert.Single(_pushService.Received);
        Assert.Equal("aes128gcm", received.Header("Content-Encoding"));
        Assert.Equal("application/octet-stream", received.Header("Content-Type"));
        Assert.Equal("21600", received.Header("TTL"));
        Assert.Equal("high", received.Header("Urgency"));
        Assert.Equal("cart", received.Header("Topic"));

        var authorization = received.Header("Authorization");
        Assert.StartsWith("vapid t=", authorization, StringComparison.Ordinal);
        var token = authorization["vapid t=".Length..authorization.IndexOf(',', StringComparison.Ordinal)];
        var publicKey = authorization[(authorization.IndexOf("k=", StringComparison.Ordinal) + 2)..];
        Assert.Equal((await _vapid.GetAsync(Workspace, Ct)).PublicKeyText, publicKey);
        var claims = VerifiedClaims(token, Base64Url.DecodeFromChars(publicKey));
        Assert.Equal(_pushService.Address.GetLeftPart(UriPartial.Authority), claims.GetProperty("aud").GetString());
        Assert.Equal("mailto:ops@shop.example", claims.GetProperty("sub").GetString());
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64());
        Assert.InRange(expires, _time.GetUtcNow(), _time.GetUtcNow() + Vapid.MaxLifetime);
    }

    [Fact]
    public async Task An_accepted_send_records_the_subscriptions_last_success()
    {
        var subscription = await SubscribeAsync();

        await _sender.SendAsync(subscription, new PushMessage("Hi"), ct: Ct);

        Assert.Equal(_time.GetUtcNow(), (await _subscriptions.GetAsync(Workspace, subscription.Endpoint, Ct))!.LastSuccessAt);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(410)]
    public async Task A_subscription_the_push_service_no_longer_knows_is_removed(int status)
    {
        var subscription = await SubscribeAsync();
        _pushService.Reply(new FakeReply(status, "{\"reason\":\"NotFound\"}"));

        var outcome = await _sender.SendAsync(subscription, new PushMessage("Hi"), ct: Ct);

        Assert.Equal(SendOutcomeKind.PermanentFailure, outcome.Kind);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), outcome.Detail, StringComparison.Ordinal);
        Assert.Null(await _subscriptions.GetAsync(Workspace, subscription.Endpoint, Ct));
    }

    [Fact]
    public async Task Too_many_requests_is_temporary_and_keeps_the_push_services_retry_after()
    {
        var subscription = await SubscribeAsync();
        _pushService.Reply(new FakeReply(429, Headers: new() { ["Retry-After"] = "120" }));

        var outcome = await _sender.SendAsync(subscription, new PushMessage("Hi"), ct: Ct);

        Assert.Equal(SendOutcomeKind.TemporaryFailure, outcome.Kind);
        Assert.Equal(TimeSpan.FromMinutes(2), outcome.RetryAfter);
        Assert.NotNull(await _subscriptions.GetAsync(Workspace, subscription.Endpoint, Ct));
    }

    [Fact]
    public async Task A_server_error_is_temporary_and_a_retry_after_date_becomes_a_delay()
    {
        var subscription = await SubscribeAsync();
        _pushService.Reply(
            new FakeReply(503, Headers: new() { ["Retry-After"] = _time.GetUtcNow().AddMinutes(5).ToString("R") }),
            new FakeReply(500, "boom"));

        var unavailable = await _sender.SendAsync(subscription, new PushMessage("Hi"), ct: Ct);
        var failed = await _sender.SendAsync(subscription, new PushMessage("Hi"), ct: Ct);

        Assert.Equal((SendOutcomeKind.TemporaryFailure, TimeSpan.FromMinutes(5)), (unavailable.Kind, unavailable.RetryAfter));
        Assert.Equal((SendOutcomeKind.TemporaryFailure, (TimeSpan?)null), (failed.Kind, failed.RetryAfter));
        Assert.Contains("boom", failed.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(413)]
    public async Task A_refused_request_is_permanent_but_the_subscription_stays(int status)
    {
        var subscription = await SubscribeAsync();
        _pushService.Reply(new FakeReply(status));

        var outcome = await _sender.SendAsync(subscription, new PushMessage("Hi"), ct: Ct);

        Assert.Equal(SendOutcomeKind.PermanentFailure, outcome.Kind);
        Assert.NotNull(await _subscriptions.GetAsync(Workspace, subscription.Endpoint, Ct));
    }

    [Fact]
    public async Task A_push_service_that_does_not_answer_in_time_is_a_temporary_failure()
    {
        var subscription = await SubscribeAsync();
        _pushService.HoldBack();

        var sending = _sender.SendAsync(subscription, new PushMessage("Hi"), ct: Ct);
        await _pushService.WaitForRequestsAsync(1, Ct);
        _time.Advance(TimeSpan.FromSeconds(10));
        var outcome = await sending;

        Assert.Equal(SendOutcomeKind.TemporaryFailure, outcome.Kind);
        Assert.Contains("did not answer", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_push_service_is_a_temporary_failure()
    {
        var subscription = await SubscribeAsync($"http://127.0.0.1:{Nudge.Testing.FreePort.Next()}/push/gone");

        var outcome = await _sender.SendAsync(subscription, new PushMessage("Hi"), ct: Ct);

        Assert.Equal(SendOutcomeKind.TemporaryFailure, outcome.Kind);
    }

    [Fact]
    public async Task A_payload_too_large_for_one_message_is_refused_without_a_request()
    {
        var subscription = await SubscribeAsync();

        var outcome = await _sender.SendAsync(subscription, new byte[WebPushEncryption.MaxPayloadLength + 1], ct: Ct);

        Assert.Equal(SendOutcomeKind.PermanentFailure, outcome.Kind);
        Assert.Empty(_pushService.Received);
    }

    [Fact]
    public async Task One_token_serves_many_sends_and_is_signed_again_before_it_expires()
    {
        var subscription = await SubscribeAsync();

        await _sender.SendAsync(subscription, new PushMessage("1"), ct: Ct);
        await _sender.SendAsync(subscription, new PushMessage("2"), ct: Ct);
        _time.Advance(TimeSpan.FromHours(7));
        await _sender.SendAsync(subscription, new PushMessage("3"), ct: Ct);

        var headers = _pushService.Received.Select(r => r.Header("Authorization")).ToList();
        Assert.Equal(headers[0], headers[1]);
        Assert.NotEqual(headers[1], headers[2]);
    }

    private async Task<PushSubscription> SubscribeAsync(string? endpoint = null)
    {
        var q = _browser.ExportParameters(false).Q;
        var subscription = new PushSubscription(Workspace, "prof_ada", endpoint ?? new Uri(_pushService.Address, "/push/" + Guid.NewGuid().ToString("N")).ToString(),
            Base64Url.EncodeToString([0x04, .. q.X!, .. q.Y!]), Base64Url.EncodeToString(_auth), "test", _time.GetUtcNow());
        await _subscriptions.SaveAsync(subscription, Ct);
        return subscription;
    }

    private async Task<string> DecryptWithWebPushAsync(byte[] body)
    {
        var input = new JsonObject
        {
            ["body"] = Base64Url.EncodeToString(body),
            ["privateKey"] = Base64Url.EncodeToString(_browser.ExportParameters(true).D!),
            ["auth"] = Base64Url.EncodeToString(_auth),
        }.ToJsonString();
        var (exitCode, output, errors) = await Node.RunAsync("push-decrypt.mjs", input, Ct);
        Assert.True(exitCode == 0, $"web-push could not decrypt the message: {errors}");
        return output;
    }

    private static JsonElement VerifiedClaims(string token, byte[] publicKey)
    {
        var parts = token.Split('.');
        using var verifier = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = publicKey[1..33], Y = publicKey[33..] },
        });
        Assert.True(verifier.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256),
            "the VAPID token does not verify with the key it names");
        return JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement.Clone();
    }
}
