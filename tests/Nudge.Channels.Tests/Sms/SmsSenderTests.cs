using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Nudge.Channels.Delivery;
using Nudge.Channels.Sms;
using Nudge.Channels.Tests.Support;

namespace Nudge.Channels.Tests.Sms;

public sealed class SmsSenderTests : IAsyncLifetime
{
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string AuthToken = "secret-token";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new();
    private LocalHttpServer _provider = null!;
    private SmsSender _sender = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _provider = await LocalHttpServer.StartAsync(Ct);
        _provider.DefaultReply = new FakeReply(201, "{\"sid\":\"SM1234\",\"status\":\"queued\"}");
        var options = new SmsOptions
        {
            BaseUrl = _provider.Address,
            AccountSid = AccountSid,
            AuthToken = AuthToken,
            From = "+15005550006",
            Senders = new(StringComparer.OrdinalIgnoreCase) { ["DE"] = "NudgeShop" },
            Timeout = TimeSpan.FromSeconds(10),
        };
        _sender = new SmsSender(_http, Options.Create(options), _time);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task An_accepted_message_is_posted_in_the_twilio_form_and_answered_with_its_sid()
    {
        var outcome = await _sender.SendAsync("+14155550123", "Your order has shipped €", Ct);

        Assert.Equal(SendOutcomeKind.Accepted, outcome.Kind);
        Assert.Equal("SM1234", outcome.ProviderMessageId);
        var request = Assert.Single(_provider.Received);
        Assert.Equal(("POST", $"/2010-04-01/Accounts/{AccountSid}/Messages.json"), (request.Method, request.Path));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")), request.Header("Authorization"));
        Assert.StartsWith("application/x-www-form-urlencoded", request.Header("Content-Type"), StringComparison.Ordinal);
        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(request.Body));
        Assert.Equal(("+14155550123", "+15005550006", "Your order has shipped €"), (form["To"].ToString(), form["From"].ToString(), form["Body"].ToString()));
    }

    [Fact]
    public async Task A_country_with_its_own_sender_id_gets_it()
    {
        await _sender.SendAsync("+4915112345678", "Hallo", Ct);

        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(Assert.Single(_provider.Received).Body));
        Assert.Equal("NudgeShop", form["From"].ToString());
    }

    [Theory]
    [InlineData("015112345678")]
    [InlineData("+49 151 12345678")]
    [InlineData("+1555")]
    [InlineData("not a number")]
    public async Task A_number_not_in_E164_is_refused_without_a_request(string to)
    {
        var outcome = await _sender.SendAsync(to, "Hi", Ct);

        Assert.Equal(SendOutcomeKind.PermanentFailure, outcome.Kind);
        Assert.Contains("E.164", outcome.Detail, StringComparison.Ordinal);
        Assert.Empty(_provider.Received);
    }

    [Fact]
    public async Task A_refused_number_is_permanent_with_the_providers_error_code()
    {
        _provider.Reply(new FakeReply(400, "{\"code\":21610,\"message\":\"Attempt to send to unsubscribed recipient\",\"status\":400}"));

        var outcome = await _sender.SendAsync("+14155550123", "Hi", Ct);

        Assert.Equal(SendOutcomeKind.PermanentFailure, outcome.Kind);
        Assert.Contains("error 21610", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("unsubscribed recipient", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_requests_and_server_errors_are_temporary()
    {
        _provider.Reply(
            new FakeReply(429, "{\"code\":20429,\"message\":\"Too Many Requests\"}", new() { ["Retry-After"] = "30" }),
            new FakeReply(503, "unavailable", ContentType: "text/plain"));

        var limited = await _sender.SendAsync("+14155550123", "Hi", Ct);
        var down = await _sender.SendAsync("+14155550123", "Hi", Ct);

        Assert.Equal((SendOutcomeKind.TemporaryFailure, TimeSpan.FromSeconds(30)), (limited.Kind, limited.RetryAfter));
        Assert.Contains("error 20429", limited.Detail, StringComparison.Ordinal);
        Assert.Equal(SendOutcomeKind.TemporaryFailure, down.Kind);
        Assert.Contains("unavailable", down.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_in_time_is_a_temporary_failure()
    {
        _provider.HoldBack();

        var sending = _sender.SendAsync("+14155550123", "Hi", Ct);
        await _provider.WaitForRequestsAsync(1, Ct);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(SendOutcomeKind.TemporaryFailure, (await sending).Kind);
    }

    [Fact]
    public async Task Without_an_account_nothing_is_sent_and_the_message_waits()
    {
        var unconfigured = new SmsSender(_http, Options.Create(new SmsOptions { BaseUrl = _provider.Address }), _time);

        var outcome = await unconfigured.SendAsync("+14155550123", "Hi", Ct);

        Assert.Equal(SendOutcomeKind.TemporaryFailure, outcome.Kind);
        Assert.Empty(_provider.Received);
    }
}
