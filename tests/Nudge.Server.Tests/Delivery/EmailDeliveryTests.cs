using Nudge.Channels.Email;
using Nudge.Core.Consent;
using Nudge.Server.Delivery;
using Nudge.Storage.Outbox;

namespace Nudge.Server.Tests.Delivery;

/// <summary>The delivery worker between the outbox and smtp-sink, with smtp-sink's fault injection, in simulated time.</summary>
public sealed class EmailDeliveryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PastFirstRetry = TimeSpan.FromMinutes(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Queued_emails_are_sent_and_their_history_says_so()
    {
        await using var rig = await DeliveryRig.StartAsync();
        var ids = await rig.EnqueueAsync(3);

        await rig.RunAsync();

        Assert.Equal(3, (await rig.Sink.WaitForMessagesAsync(3, Patience, Ct)).Count);
        Assert.Equal([OutboxStatus.Sent, OutboxStatus.Sent, OutboxStatus.Sent], await rig.StatusesAsync(ids));
        Assert.Equal([OutboxStatus.Queued, OutboxStatus.Sent], await rig.HistoryAsync(ids[0]));
        var sent = await rig.Log.GetAsync(DeliveryRig.Workspace, ids[0], Ct);
        Assert.Equal((1, rig.Time.GetUtcNow()), (sent!.Attempts, sent.SentAt));
        Assert.StartsWith("250", sent.ProviderReply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-r", "RCPT")]
    [InlineData("-r", "MAIL")]
    [InlineData("-Q", "MAIL")]
    [InlineData("-Q", "RCPT")]
    [InlineData("-q", "DATA")]
    public async Task Nothing_is_lost_and_nothing_is_sent_twice_when_the_relay_fails(string option, string command)
    {
        await using var rig = await DeliveryRig.StartAsync([option, command]);
        var ids = await rig.EnqueueAsync(20);

        await rig.RunAsync();
        var whileFailing = await rig.StatusesAsync(ids);
        await rig.Sink.RestartAsync(ct: Ct);
        rig.Time.Advance(PastFirstRetry);
        await rig.RunAsync();

        Assert.All(whileFailing, s => Assert.Equal(OutboxStatus.Deferred, s));
        Assert.All(await rig.StatusesAsync(ids), s => Assert.Equal(OutboxStatus.Sent, s));
        await rig.Sink.WaitForMessagesAsync(20, Patience, Ct);
        var copies = rig.CopiesPerMessageId();
        Assert.Equal(20, copies.Count);
        Assert.All(copies.Values, n => Assert.Equal(1, n));
        Assert.Equal([OutboxStatus.Queued, OutboxStatus.Deferred, OutboxStatus.Sent], await rig.HistoryAsync(ids[0]));
    }

    [Fact]
    public async Task A_deferred_message_waits_for_its_retry_time()
    {
        await using var rig = await DeliveryRig.StartAsync(["-r", "RCPT"]);
        var ids = await rig.EnqueueAsync(1);
        await rig.RunAsync();
        await rig.Sink.RestartAsync(ct: Ct);

        var beforeRetry = await rig.RunAsync();

        Assert.Equal(0, beforeRetry);
        Assert.Equal([OutboxStatus.Deferred], await rig.StatusesAsync(ids));
    }

    [Fact]
    public async Task A_hard_bounce_marks_the_message_bounced_and_suppresses_the_address()
    {
        await using var rig = await DeliveryRig.StartAsync(["-f", "RCPT"]);
        var ids = await rig.EnqueueAsync(1, recipient: "Gone@Example.com");

        await rig.RunAsync();

        Assert.Equal([OutboxStatus.Bounced], await rig.StatusesAsync(ids));
        var suppression = await rig.Suppressions.GetAsync(DeliveryRig.Workspace, ConsentChannels.Email, "gone@example.com", Ct);
        Assert.Equal((SuppressionReason.HardBounce, "bounce"), (suppression!.Reason, suppression.Source));
    }

    [Fact]
    public async Task A_suppressed_address_is_skipped_without_sending()
    {
        await using var rig = await DeliveryRig.StartAsync();
        await rig.Suppressions.AddAsync(DeliveryRig.Workspace, ConsentChannels.Email, "ada@example.com", SuppressionReason.Complaint, "admin", Ct);
        var ids = await rig.EnqueueAsync(1);

        await rig.RunAsync();

        Assert.Equal([OutboxStatus.Skipped], await rig.StatusesAsync(ids));
        Assert.Empty(rig.Sink.MessageFiles());
    }

    [Fact]
    public async Task A_message_that_keeps_failing_fails_after_its_last_attempt()
    {
        await using var rig = await DeliveryRig.StartAsync(["-r", "RCPT"], options: new DeliveryOptions { MaxAttempts = 3 });
        var ids = await rig.EnqueueAsync(1);

        for (var round = 0; round < 3; round++)
        {
            await rig.RunAsync();
            rig.Time.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.Equal([OutboxStatus.Failed], await rig.StatusesAsync(ids));
        Assert.Equal([OutboxStatus.Queued, OutboxStatus.Deferred, OutboxStatus.Deferred, OutboxStatus.Failed], await rig.HistoryAsync(ids[0]));
    }

    [Fact]
    public async Task A_claim_left_by_a_stopped_worker_is_found_after_its_lease_and_sent_once()
    {
        await using var rig = await DeliveryRig.StartAsync();
        var ids = await rig.EnqueueAsync(1);
        // A worker claims the message and stops before it records anything.
        await rig.Outbox.ClaimDueAsync(EmailDelivery.Channel, rig.Time.GetUtcNow(), rig.Time.GetUtcNow() + rig.Options.ClaimLease, 10, Ct);

        var duringLease = await rig.RunAsync();
        rig.Time.Advance(rig.Options.ClaimLease);
        await rig.RunAsync();

        Assert.Equal(0, duringLease);
        Assert.Equal([OutboxStatus.Sent], await rig.StatusesAsync(ids));
        Assert.Equal([OutboxStatus.Queued, OutboxStatus.Unrecorded, OutboxStatus.Sent], await rig.HistoryAsync(ids[0]));
        await rig.Sink.WaitForMessagesAsync(1, Patience, Ct);
        Assert.Equal(1, Assert.Single(rig.CopiesPerMessageId()).Value);
    }

    [Fact]
    public async Task A_reply_lost_after_the_final_dot_is_the_one_way_to_a_duplicate_and_it_keeps_its_message_id()
    {
        // smtp-sink takes the whole message and hangs up instead of answering: the sender cannot know it arrived.
        await using var rig = await DeliveryRig.StartAsync(["-q", "."], poolSize: 1);
        var ids = await rig.EnqueueAsync(1);

        await rig.RunAsync();
        await rig.Sink.RestartAsync(ct: Ct);
        rig.Time.Advance(PastFirstRetry);
        await rig.RunAsync();

        await rig.Sink.WaitForMessagesAsync(2, Patience, Ct);
        var copies = Assert.Single(rig.CopiesPerMessageId());
        Assert.Equal(2, copies.Value);
        Assert.Equal([OutboxStatus.Sent], await rig.StatusesAsync(ids));
    }

    [Fact]
    public async Task A_message_to_a_profile_carries_its_signed_one_click_unsubscribe_link()
    {
        await using var rig = await DeliveryRig.StartAsync();
        await rig.EnqueueAsync(1, profileId: "prf_ada");

        await rig.RunAsync();

        var message = MimeKit.MimeMessage.Load(Assert.Single(await rig.Sink.WaitForMessagesAsync(1, Patience, Ct)), Ct);
        Assert.StartsWith("<https://nudge.shop.example/unsubscribe/prf_ada?channel=email&token=", message.Headers[MimeKit.HeaderId.ListUnsubscribe], StringComparison.Ordinal);
        Assert.Equal(EmailComposer.OneClick, message.Headers[MimeKit.HeaderId.ListUnsubscribePost]);
    }
}
