using MimeKit;
using MimeKit.Cryptography;
using Nudge.Channels.Delivery;
using Nudge.Channels.Email;
using Nudge.Channels.Tests.Support;
using Nudge.Testing;

namespace Nudge.Channels.Tests.Email;

/// <summary>The SMTP pool against Postfix's smtp-sink: what arrives, and how connections are used.</summary>
public sealed class SmtpSendingTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly TestDkimKey _key = new();
    private SmtpSink _sink = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _sink = await SmtpSink.StartAsync(ct: Ct);

    public async ValueTask DisposeAsync()
    {
        await _sink.DisposeAsync();
        _key.Dispose();
    }

    [Fact]
    public async Task A_message_arrives_complete_with_its_headers_and_both_parts()
    {
        var email = Some.Email(key: "optin:sgn_42");
        await using (var pool = Pools.For(_sink, key: _key))
            Assert.Equal(SendOutcomeKind.Accepted, (await pool.SendAsync(email, Ct)).Kind);

        var received = SinkMail.Load(Assert.Single(await _sink.WaitForMessagesAsync(1, Patience, Ct)));

        Assert.Equal("news@shop.example", received.From.Mailboxes.Single().Address);
        Assert.Equal("ada@example.com", received.To.Mailboxes.Single().Address);
        Assert.Equal(email.Subject, received.Subject);
        Assert.Equal(EmailComposer.MessageId("optin:sgn_42", "shop.example"), received.MessageId);
        Assert.Equal($"<{email.OneClickUnsubscribe!.AbsoluteUri}>, <mailto:unsubscribe@shop.example?subject=unsubscribe>",
            received.Headers[HeaderId.ListUnsubscribe]);
        Assert.Equal("List-Unsubscribe=One-Click", received.Headers[HeaderId.ListUnsubscribePost]);
        Assert.Equal(email.Html!.ReplaceLineEndings(), received.HtmlBody!.ReplaceLineEndings().TrimEnd());
        Assert.Equal(email.Text!.ReplaceLineEndings(), received.TextBody!.ReplaceLineEndings());
    }

    [Fact]
    public async Task The_dkim_signature_of_a_received_message_verifies_with_the_published_key()
    {
        await using (var pool = Pools.For(_sink, key: _key))
            await pool.SendAsync(Some.Email(), Ct);

        var received = SinkMail.Load(Assert.Single(await _sink.WaitForMessagesAsync(1, Patience, Ct)));
        var signature = received.Headers[received.Headers.IndexOf(HeaderId.DkimSignature)];

        Assert.Contains("c=relaxed/relaxed", signature.Value, StringComparison.Ordinal);
        Assert.Contains("list-unsubscribe:list-unsubscribe-post", signature.Value, StringComparison.Ordinal);
        Assert.True(await new DkimVerifier(_key).VerifyAsync(received, signature, Ct));
    }

    [Fact]
    public async Task The_pool_sends_many_messages_over_its_few_connections()
    {
        var pool = Pools.For(_sink, size: 2, key: _key);
        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => pool.SendAsync(Some.Email(), Ct)));
        await pool.DisposeAsync();

        await _sink.WaitForMessagesAsync(40, Patience, Ct);
        await WaitForSessionsAsync(2);

        Assert.Equal(40, _sink.MessageFiles().Count);
        Assert.Equal(2, pool.ConnectionsOpened);
        Assert.Equal(2, _sink.Sessions);
    }

    [Fact]
    public async Task A_relay_that_went_away_is_reconnected_once_it_is_back()
    {
        await using var pool = Pools.For(_sink, size: 1, key: _key);
        await pool.SendAsync(Some.Email(), Ct);
        await _sink.StopAsync();

        var whileDown = await pool.SendAsync(Some.Email(), Ct);
        await _sink.RestartAsync(ct: Ct);
        var afterwards = await pool.SendAsync(Some.Email(), Ct);

        Assert.Equal(SendOutcomeKind.TemporaryFailure, whileDown.Kind);
        Assert.Equal(SendOutcomeKind.Accepted, afterwards.Kind);
        Assert.Equal(2, pool.ConnectionsOpened);
        Assert.Equal(2, (await _sink.WaitForMessagesAsync(2, Patience, Ct)).Count);
    }

    private async Task WaitForSessionsAsync(int count)
    {
        for (var i = 0; i < 200 && _sink.Sessions < count; i++)
            await Task.Delay(25, Ct);
    }
}
