using Nudge.Channels.Delivery;
using Nudge.Channels.Tests.Support;
using Nudge.Testing;

namespace Nudge.Channels.Tests.Email;

/// <summary>What each kind of refusal from smtp-sink's fault injection means for a message.</summary>
public sealed class SmtpFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_4xx_reply_to_rcpt_is_a_temporary_failure()
    {
        var outcome = await SendThroughAsync("-r", "RCPT");

        Assert.Equal(SendOutcomeKind.TemporaryFailure, outcome.Kind);
        Assert.StartsWith("450", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_5xx_reply_to_rcpt_is_a_hard_bounce_of_the_address()
    {
        var outcome = await SendThroughAsync("-f", "RCPT");

        Assert.Equal((SendOutcomeKind.PermanentFailure, true), (outcome.Kind, outcome.RecipientRejected));
        Assert.StartsWith("500", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_5xx_reply_to_the_message_itself_fails_it_without_blaming_the_address()
    {
        // smtp-sink writes the message before it refuses the final dot, so only the outcome is checked here.
        var outcome = await SendThroughAsync("-f", ".");

        Assert.Equal((SendOutcomeKind.PermanentFailure, false), (outcome.Kind, outcome.RecipientRejected));
    }

    [Fact]
    public async Task A_421_and_disconnect_is_a_temporary_failure()
    {
        var outcome = await SendThroughAsync("-Q", "MAIL");

        Assert.Equal(SendOutcomeKind.TemporaryFailure, outcome.Kind);
        Assert.StartsWith("421", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disconnect_without_a_reply_is_a_temporary_failure()
    {
        var outcome = await SendThroughAsync("-q", "DATA");

        Assert.Equal(SendOutcomeKind.TemporaryFailure, outcome.Kind);
    }

    [Fact]
    public async Task A_connection_is_kept_after_a_refused_recipient()
    {
        await using var sink = await SmtpSink.StartAsync(["-r", "RCPT"], Ct);
        await using var pool = Pools.For(sink, size: 1);

        await pool.SendAsync(Some.Email(), Ct);
        await pool.SendAsync(Some.Email(), Ct);

        Assert.Equal(1, pool.ConnectionsOpened);
    }

    private static async Task<SendOutcome> SendThroughAsync(params string[] faults)
    {
        await using var sink = await SmtpSink.StartAsync(faults, Ct);
        await using var pool = Pools.For(sink, size: 1);
        return await pool.SendAsync(Some.Email(), Ct);
    }
}
