using Microsoft.Extensions.Options;
using Nudge.Channels.Delivery;
using Nudge.Storage.Outbox;

namespace Nudge.Server.Delivery;

/// <summary>
/// The delivery worker of one channel other than email (SMS, web push, webhooks): claims due messages of the channel (prepared
/// by <see cref="MessagePreparation"/>) from the outbox, hands them to the channel's sender a few at a time, and
/// records each answer with its history: sent (with the provider's id), deferred until a retry time, or failed.
/// <c>channel</c> names the outbox channel it delivers; <c>send</c> hands one message to the channel's provider.
/// </summary>
/// <remarks>
/// As for email, outcomes are recorded before the next message of the same lane goes out, and messages claimed but
/// never recorded (a crash) are found again once their lease ran out and sent again.
/// </remarks>
public sealed partial class ChannelDelivery(
    string channel,
    Func<OutboxMessage, CancellationToken, Task<SendOutcome>> send,
    OutboxStore outbox,
    IOptions<DeliveryOptions> options,
    DeliveryMetrics metrics,
    TimeProvider time,
    ILogger<ChannelDelivery> logger) : BackgroundService
{
    private const int Lanes = 4;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int handled;
            try
            {
                handled = await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.RoundFailed(logger, channel, ex);
                handled = 0;
            }
            if (handled == 0)
                await Task.Delay(options.Value.PollInterval, time, stoppingToken);
        }
    }

    /// <summary>One round: recovers unrecorded claims, then claims and sends a batch; returns how many were claimed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var unrecorded = await outbox.RecoverUnrecordedAsync(channel, now, ct);
        if (unrecorded.Count > 0)
            metrics.Unrecorded(channel, unrecorded.Count);

        var batch = await outbox.ClaimDueAsync(channel, now, now + settings.ClaimLease, settings.BatchSize, ct);
        var queue = new Queue<OutboxMessage>(batch);
        await Task.WhenAll(Enumerable.Range(0, Math.Min(Lanes, batch.Count)).Select(_ => LaneAsync(queue, ct)));
        return batch.Count;
    }

    private async Task LaneAsync(Queue<OutboxMessage> queue, CancellationToken ct)
    {
        while (true)
        {
            OutboxMessage message;
            lock (queue)
            {
                if (!queue.TryDequeue(out message!))
                    return;
            }
            var outcome = await send(message, ct);
            // Never cancelled: once the provider answered, its answer is recorded even while Nudge is stopping.
            await outbox.RecordAsync([Record(message, outcome)], CancellationToken.None);
        }
    }

    private DeliveryRecord Record(OutboxMessage message, SendOutcome outcome)
    {
        var now = time.GetUtcNow();
        switch (outcome.Kind)
        {
            case SendOutcomeKind.Accepted:
                return new DeliveryRecord(message.Id, OutboxStatus.Sent, now, null, outcome.ProviderMessageId, outcome.Detail);
            case SendOutcomeKind.TemporaryFailure:
                var retry = options.Value.Retry.AfterFailure(message.Attempts, now, Random.Shared.NextDouble(), outcome.RetryAfter);
                return retry.At is { } at
                    ? new DeliveryRecord(message.Id, OutboxStatus.Deferred, now, at, null, outcome.Detail)
                    : new DeliveryRecord(message.Id, OutboxStatus.Failed, now, null, null, $"gave up after {message.Attempts} attempts: {outcome.Detail}");
            default:
                return new DeliveryRecord(message.Id, OutboxStatus.Failed, now, null, null, outcome.Detail);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "A {Channel} delivery round failed; retrying")]
        public static partial void RoundFailed(ILogger logger, string channel, Exception exception);
    }
}
