using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Nudge.Channels.Delivery;
using Nudge.Channels.Email;
using Nudge.Core.Consent;
using Nudge.Engine.Consent;
using Nudge.Server.Tracking;
using Nudge.Storage.Outbox;
using Nudge.Storage.Suppressions;

namespace Nudge.Server.Delivery;

/// <summary>
/// The email delivery worker: claims due email messages from the outbox in batches, hands them to the provider (the
/// SMTP pool or an email API) on as many lanes as the provider has connections, and records each outcome with its
/// history: sent, deferred until a retry time, bounced (and the address suppressed), failed, or skipped because the
/// address is suppressed. ADR 0012.
/// </summary>
/// <remarks>
/// A lane records an outcome before it sends its next message (records of all lanes commit together), so a crash
/// leaves at most one accepted-but-unrecorded message per lane. Recovery finds those after their claim's lease ran
/// out, logs and counts them, and sends them again under the same Message-ID.
/// </remarks>
public sealed partial class EmailDelivery(
    OutboxStore outbox,
    SuppressionStore suppressions,
    IEmailProvider provider,
    PreferenceLinks links,
    IOptions<EmailOptions> email,
    IOptions<DeliveryOptions> options,
    DeliveryMetrics metrics,
    TimeProvider time,
    ILogger<EmailDelivery> logger) : BackgroundService
{
    /// <summary>The outbox channel this worker delivers.</summary>
    public const string Channel = "email";

    // Written to the suppression list's source column.
    private const string BounceSource = "bounce";

    // One lane per SMTP connection (or concurrent API request).
    private readonly int _lanes = Math.Max(1, email.Value.PoolSize);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.Started(logger, email.Value.IsPostmark ? "the Postmark API" : $"{email.Value.Host}:{email.Value.Port}", _lanes);
        while (!stoppingToken.IsCancellationRequested)
        {
            int handled;
            try
            {
                handled = await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A database hiccup must not end delivery; the claims it left behind come back through recovery.
                Log.RoundFailed(logger, ex);
                handled = 0;
            }
            if (handled == 0)
                await Task.Delay(options.Value.PollInterval, time, stoppingToken);
        }
    }

    /// <summary>
    /// One round: recovers unrecorded claims, claims a batch of due messages and delivers it. Returns how many messages
    /// were claimed (0: nothing was due).
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var unrecorded = await outbox.RecoverUnrecordedAsync(Channel, now, ct);
        if (unrecorded.Count > 0)
        {
            metrics.Unrecorded(Channel, unrecorded.Count);
            foreach (var m in unrecorded)
                Log.Unrecorded(logger, m.Id, m.MessageKey);
        }

        var batch = await outbox.ClaimDueAsync(Channel, now, now + settings.ClaimLease, settings.BatchSize, ct);
        if (batch.Count == 0)
            return 0;

        var suppressed = await SuppressedAsync(batch, ct);
        var queue = new Queue<OutboxMessage>(batch);
        var records = System.Threading.Channels.Channel.CreateUnbounded<PendingRecord>(new UnboundedChannelOptions { SingleReader = true });
        var writer = WriteRecordsAsync(records.Reader);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Math.Min(_lanes, batch.Count)).Select(_ => LaneAsync(queue, suppressed, records.Writer, ct)));
        }
        finally
        {
            records.Writer.TryComplete();
            await writer;
            if (queue.Count > 0)
                await ReleaseAsync(queue);
        }
        return batch.Count;
    }

    private async Task LaneAsync(Queue<OutboxMessage> queue, IReadOnlySet<(string, string)> suppressed, ChannelWriter<PendingRecord> records, CancellationToken ct)
    {
        while (true)
        {
            OutboxMessage message;
            lock (queue)
            {
                if (!queue.TryDequeue(out message!))
                    return;
            }

            var record = await DeliverAsync(message, suppressed, ct);
            var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            // Never cancelled: once the provider answered, its answer is recorded even while Nudge is stopping.
            records.TryWrite(new PendingRecord(record, written));
            // The next message waits for this one's record: at most one unrecorded message per lane.
            await written.Task;
        }
    }

    private async Task<DeliveryRecord> DeliverAsync(OutboxMessage message, IReadOnlySet<(string, string)> suppressed, CancellationToken ct)
    {
        var address = SuppressionAddress.Normalize(ConsentChannels.Email, message.Recipient, null);
        if (address is null)
            return Finish(message, OutboxStatus.Failed, $"'{message.Recipient}' is not a valid email address");
        if (suppressed.Contains((message.WorkspaceId, address)))
            return Finish(message, OutboxStatus.Skipped, "the address is on the suppression list");

        var unsubscribe = message.ProfileId is { } profile
            ? TrackingLinks.Attributed(await links.UnsubscribeAsync(message.WorkspaceId, profile, ConsentChannels.Email, ct), message.Id)
            : null;
        var outgoing = new OutgoingEmail(message.MessageKey, email.Value.From, message.Recipient, message.Subject ?? "", message.BodyHtml, message.BodyText, unsubscribe);
        SendOutcome outcome;
        try
        {
            outcome = await provider.SendAsync(outgoing, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A message the composer cannot build (a malformed address) would fail the same way every time.
            return Finish(message, OutboxStatus.Failed, $"the message cannot be built: {ex.Message}");
        }

        switch (outcome.Kind)
        {
            case SendOutcomeKind.Accepted:
                return Finish(message, OutboxStatus.Sent, outcome.Detail, outcome.ProviderMessageId);
            case SendOutcomeKind.PermanentFailure when outcome.RecipientRejected:
                await suppressions.AddAsync(message.WorkspaceId, ConsentChannels.Email, address, SuppressionReason.HardBounce, BounceSource, ct);
                return Finish(message, OutboxStatus.Bounced, outcome.Detail);
            case SendOutcomeKind.PermanentFailure:
                return Finish(message, OutboxStatus.Failed, outcome.Detail);
            default:
                var now = time.GetUtcNow();
                var retry = options.Value.Retry.AfterFailure(message.Attempts, now, Random.Shared.NextDouble(), outcome.RetryAfter);
                return retry.At is { } at
                    ? Finish(message, OutboxStatus.Deferred, outcome.Detail, nextAttempt: at)
                    : Finish(message, OutboxStatus.Failed, $"gave up after {message.Attempts} attempts: {outcome.Detail}");
        }
    }

    private DeliveryRecord Finish(OutboxMessage message, string status, string? detail, string? providerId = null, DateTimeOffset? nextAttempt = null)
    {
        metrics.Outcome(Channel, status);
        return new DeliveryRecord(message.Id, status, time.GetUtcNow(), nextAttempt, providerId, detail);
    }

    /// <summary>Messages claimed but never tried (Nudge is stopping) are due again at once, without waiting out their lease.</summary>
    private async Task ReleaseAsync(IEnumerable<OutboxMessage> untried)
    {
        var now = time.GetUtcNow();
        await outbox.RecordAsync(
            untried.Select(m => new DeliveryRecord(m.Id, OutboxStatus.Deferred, now, now, null, "not tried: delivery was stopping")).ToList(),
            CancellationToken.None);
    }

    /// <summary>The (workspace, address) pairs of the batch that are suppressed: one query per workspace, not per message.</summary>
    private async Task<IReadOnlySet<(string, string)>> SuppressedAsync(IReadOnlyList<OutboxMessage> batch, CancellationToken ct)
    {
        var found = new HashSet<(string, string)>();
        foreach (var workspace in batch.GroupBy(m => m.WorkspaceId, StringComparer.Ordinal))
        {
            var addresses = workspace.Select(m => SuppressionAddress.Normalize(ConsentChannels.Email, m.Recipient, null)).OfType<string>();
            foreach (var address in await suppressions.FilterAsync(workspace.Key, ConsentChannels.Email, addresses, ct))
                found.Add((workspace.Key, address));
        }
        return found;
    }

    /// <summary>Group commit of the lanes' records: whatever is waiting is written in one transaction.</summary>
    private async Task WriteRecordsAsync(ChannelReader<PendingRecord> pending)
    {
        var group = new List<PendingRecord>();
        while (await pending.WaitToReadAsync(CancellationToken.None))
        {
            while (pending.TryRead(out var next))
                group.Add(next);
            try
            {
                await outbox.RecordAsync(group.Select(p => p.Record).ToList(), CancellationToken.None);
                foreach (var p in group)
                    p.Written.TrySetResult();
            }
            catch (Exception ex)
            {
                foreach (var p in group)
                    p.Written.TrySetException(ex);
            }
            group.Clear();
        }
    }

    private sealed record PendingRecord(DeliveryRecord Record, TaskCompletionSource Written);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Email delivery started: sending through {Provider} on {Lanes} connections")]
        public static partial void Started(ILogger logger, string provider, int lanes);

        [LoggerMessage(Level = LogLevel.Warning, Message =
            "Message {Id} ({Key}) was claimed by a delivery worker that stopped before recording the provider's answer; " +
            "sending it again (if the provider had accepted it, the recipient gets it twice, with the same Message-ID)")]
        public static partial void Unrecorded(ILogger logger, string id, string key);

        [LoggerMessage(Level = LogLevel.Error, Message = "A delivery round failed; trying again")]
        public static partial void RoundFailed(ILogger logger, Exception exception);
    }
}
