using Nudge.Channels.Delivery;
using Nudge.Channels.Email;
using Nudge.Channels.Email.Postmark;
using Nudge.Channels.Tests.Support;
using Nudge.Testing;

namespace Nudge.Channels.Tests.Email;

/// <summary>The Postmark adapter against a local fake of its API.</summary>
public sealed class PostmarkProviderTests : IDisposable
{
    private readonly FakePostmark _postmark = new();
    private readonly HttpClient _http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _http.Dispose();
        _postmark.Dispose();
    }

    [Fact]
    public async Task An_accepted_email_carries_postmarks_message_id()
    {
        var outcome = await Provider().SendAsync(Some.Email(), Ct);

        Assert.Equal((SendOutcomeKind.Accepted, "0a129aee-e1cd-480d-b08d-4f48548ff48d"), (outcome.Kind, outcome.ProviderMessageId));
    }

    [Fact]
    public async Task The_request_holds_the_message_its_stream_and_the_unsubscribe_headers()
    {
        var email = Some.Email(key: "optin:sgn_7");

        await Provider().SendAsync(email, Ct);

        var (token, body) = Assert.Single(_postmark.Received);
        Assert.Equal(FakePostmark.Token, token);
        Assert.Equal((email.From, email.To, email.Subject, email.Html, email.Text, "outbound"),
            ((string?)body["From"], (string?)body["To"], (string?)body["Subject"], (string?)body["HtmlBody"], (string?)body["TextBody"], (string?)body["MessageStream"]));
        var headers = body["Headers"]!.AsArray().ToDictionary(h => (string)h!["Name"]!, h => (string)h!["Value"]!);
        Assert.Equal($"<{EmailComposer.MessageId("optin:sgn_7", "shop.example")}>", headers["Message-ID"]);
        Assert.Equal("List-Unsubscribe=One-Click", headers["List-Unsubscribe-Post"]);
        Assert.StartsWith($"<{email.OneClickUnsubscribe!.AbsoluteUri}>", headers["List-Unsubscribe"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inactive_recipient_is_a_hard_bounce()
    {
        _postmark.Answer = (422, """{"ErrorCode":406,"Message":"You tried to send to recipient(s) that have been marked as inactive."}""");

        var outcome = await Provider().SendAsync(Some.Email(), Ct);

        Assert.Equal((SendOutcomeKind.PermanentFailure, true), (outcome.Kind, outcome.RecipientRejected));
        Assert.Contains("inactive", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_422_fails_the_message_without_blaming_the_address()
    {
        _postmark.Answer = (422, """{"ErrorCode":300,"Message":"Invalid email request"}""");

        var outcome = await Provider().SendAsync(Some.Email(), Ct);

        Assert.Equal((SendOutcomeKind.PermanentFailure, false), (outcome.Kind, outcome.RecipientRejected));
    }

    [Fact]
    public async Task A_server_error_is_temporary()
    {
        _postmark.Answer = (503, """{"ErrorCode":0,"Message":"Service unavailable"}""");

        var outcome = await Provider().SendAsync(Some.Email(), Ct);

        Assert.Equal(SendOutcomeKind.TemporaryFailure, outcome.Kind);
    }

    [Fact]
    public async Task A_wrong_token_is_temporary_so_nothing_bounces_while_the_setting_is_fixed()
    {
        var outcome = await Provider(token: "wrong").SendAsync(Some.Email(), Ct);

        Assert.Equal((SendOutcomeKind.TemporaryFailure, false), (outcome.Kind, outcome.RecipientRejected));
        Assert.StartsWith("401", outcome.Detail, StringComparison.Ordinal);
    }

    private PostmarkProvider Provider(string token = FakePostmark.Token) => new(_http, new EmailOptions
    {
        Provider = "postmark",
        Postmark = new PostmarkOptions { BaseUrl = _postmark.BaseUrl, ServerToken = token },
    });
}
