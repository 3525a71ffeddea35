using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Nudge.Channels.Delivery;
using Nudge.Channels.Tests.Support;
using Nudge.Channels.Webhooks;

namespace Nudge.Channels.Tests.Webhooks;

public sealed class WebhookSenderTests : IAsyncLifetime
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private LocalHttpServer _receiver = null!;
    private WebhookSender _sender = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _receiver = await LocalHttpServer.StartAsync(Ct);
        // The receiver a shop would write: it checks both signatures and the timestamp's age, as docs/webhooks.md says.
        _receiver.Respond = request => Verify(request, Secret, _time.GetUtcNow()) ? null : new FakeReply(401, "bad signature");
        _receiver.DefaultReply = new FakeReply(204);
        _sender = new WebhookSender(_http, Options.Create(new WebhookOptions { Timeout = TimeSpan.FromSeconds(5) }), _time);
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public void The_standard_signature_matches_the_standard_webhooks_test_vector()
    {
        var signature = WebhookSignature.Standard(WebhookSignature.Key(Secret), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"u8);

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public async Task A_signed_send_is_verified_by_the_receiver_and_accepted()
    {
        var outcome = await _sender.SendAsync(Request("run-1:step-3"), Ct);

        Assert.Equal(SendOutcomeKind.Accepted, outcome.Kind);
        Assert.Equal("run-1:step-3", outcome.ProviderMessageId);
        var received = Assert.Single(_receiver.Received);
        Assert.Equal("application/json; charset=utf-8", received.Header("Content-Type"));
        Assert.Equal("run-1:step-3", received.Header("webhook-id"));
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), received.Header("webhook-timestamp"));
        Assert.Equal("Order Completed", JsonDocument.Parse(received.Body).RootElement.GetProperty("event").GetString());
    }

    [Fact]
    public async Task A_send_signed_with_another_secret_is_refused_permanently()
    {
        var outcome = await _sender.SendAsync(Request("m-1") with { Secret = "whsec_" + Convert.ToBase64String(new byte[32]) }, Ct);

        Assert.Equal(SendOutcomeKind.PermanentFailure, outcome.Kind);
        Assert.Contains("401", outcome.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    public async Task Timeouts_rate_limits_and_server_errors_are_temporary(int status)
    {
        _receiver.Respond = _ => new FakeReply(status, Headers: new() { ["Retry-After"] = "60" });

        var outcome = await _sender.SendAsync(Request("m-1"), Ct);

        Assert.Equal((SendOutcomeKind.TemporaryFailure, TimeSpan.FromMinutes(1)), (outcome.Kind, outcome.RetryAfter));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(301)]
    public async Task Other_client_errors_and_redirects_are_permanent(int status)
    {
        _receiver.Respond = _ => new FakeReply(status, "nope", new() { ["Location"] = "https://elsewhere.example/" });

        var outcome = await _sender.SendAsync(Request("m-1"), Ct);

        Assert.Equal(SendOutcomeKind.PermanentFailure, outcome.Kind);
        Assert.Single(_receiver.Received);
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_in_time_is_a_temporary_failure()
    {
        _receiver.HoldBack();

        var sending = _sender.SendAsync(Request("m-1"), Ct);
        await _receiver.WaitForRequestsAsync(1, Ct);
        _time.Advance(TimeSpan.FromSeconds(5));
        var outcome = await sending;

        Assert.Equal(SendOutcomeKind.TemporaryFailure, outcome.Kind);
        Assert.Contains("did not answer", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_carries_the_same_id_so_the_receiver_can_drop_the_duplicate()
    {
        await _sender.SendAsync(Request("run-1:step-3"), Ct);
        _time.Advance(TimeSpan.FromMinutes(1));
        await _sender.SendAsync(Request("run-1:step-3"), Ct);

        var ids = _receiver.Received.Select(r => r.Header("webhook-id")).ToList();
        Assert.Equal(["run-1:step-3", "run-1:step-3"], ids);
        Assert.NotEqual(_receiver.Received[0].Header("webhook-timestamp"), _receiver.Received[1].Header("webhook-timestamp"));
    }

    private WebhookRequest Request(string id) => new(new Uri(_receiver.Address, "/hooks/nudge"), Secret, id,
        JsonDocument.Parse("""{"event":"Order Completed","profile_id":"prf_1","properties":{"order_id":"1001","revenue":59.9}}""").RootElement);

    /// <summary>What docs/webhooks.md tells receivers to do, written from the docs rather than from the sender.</summary>
    private static bool Verify(ReceivedRequest request, string secret, DateTimeOffset now)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var id = request.Header("webhook-id");
        var timestamp = request.Header("webhook-timestamp");
        if (!long.TryParse(timestamp, CultureInfo.InvariantCulture, out var seconds) || Math.Abs(now.ToUnixTimeSeconds() - seconds) > 300)
            return false;

        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(request.Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        var standardOk = request.Header("webhook-signature").Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), Encoding.ASCII.GetBytes(expected)));

        var parts = request.Header("X-Nudge-Signature").Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        var hex = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{parts.GetValueOrDefault("t")}.").Concat(request.Body).ToArray()));
        var nudgeOk = parts.GetValueOrDefault("t") == timestamp && parts.GetValueOrDefault("v1") == hex;
        return standardOk && nudgeOk;
    }
}
