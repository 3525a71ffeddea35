using System.Text.Json;
using Microsoft.Extensions.Options;
using Nudge.Core.Connectors;
using Nudge.Server.Hosting;
using Nudge.Storage.Connectors;
using Nudge.Storage.Events;
using Nudge.Storage.Keys;

namespace Nudge.Server.Connectors;

/// <summary>
/// Processes the stored webhook deliveries: claims them with a lease (a crashed worker's claims expire and are taken
/// again after a restart), maps each payload to events and catalog changes, appends the events whose message ids the
/// connector has not appended before, and finishes the delivery. A failing delivery is retried with growing waits and
/// then marked failed with the reason.
/// </summary>
public sealed class ConnectorWorker(
    DeliveryStore deliveries,
    ConnectorStore connectors,
    OrderBuyers buyers,
    EventLog log,
    KeyStore keys,
    ConnectorCatalog catalog,
    ConnectorSignal signal,
    IOptions<ConnectorOptions> options,
    IOptions<NudgeOptions> nudge,
    TimeProvider time,
    ILogger<ConnectorWorker> logger) : BackgroundService
{
    private const int Batch = 32;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<ShopDelivery> claimed;
            try
            {
                var now = time.GetUtcNow();
                claimed = await deliveries.ClaimAsync(now, now + options.Value.Lease, Batch, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.ClaimFailed(logger, ex);
                claimed = [];
            }

            foreach (var delivery in claimed)
                await ProcessAsync(delivery, stoppingToken);
            if (claimed.Count < Batch)
            {
                try
                {
                    await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Processes one claimed delivery and records the outcome; never throws but for shutdown.</summary>
    public async Task ProcessAsync(ShopDelivery delivery, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        try
        {
            var outcome = await MapAndAppendAsync(delivery, ct);
            if (outcome.Permanent is { } reason)
            {
                Log.DeliveryFailed(logger, delivery.Id, delivery.Topic, reason);
                await deliveries.FailAsync(delivery.Id, reason, time.GetUtcNow(), ct);
            }
            else if (!outcome.Known)
            {
                Log.TopicIgnored(logger, delivery.Id, delivery.ConnectorId, delivery.Topic);
                await deliveries.FinishAsync(delivery.Id, DeliveryStatus.Ignored, 0, outcome.Note, time.GetUtcNow(), ct);
            }
            else
            {
                await deliveries.FinishAsync(delivery.Id, DeliveryStatus.Processed, outcome.Events, outcome.Note, time.GetUtcNow(), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and the delivery is taken again after the restart.
            throw;
        }
        catch (Exception ex)
        {
            var reason = $"{ex.GetType().Name}: {ex.Message}";
            if (delivery.Attempts >= options.Value.MaxAttempts)
            {
                Log.DeliveryFailed(logger, delivery.Id, delivery.Topic, reason);
                await deliveries.FailAsync(delivery.Id, $"gave up after {delivery.Attempts} attempts; last: {reason}", time.GetUtcNow(), CancellationToken.None);
            }
            else
            {
                var retryAt = time.GetUtcNow() + options.Value.RetryDelay * Math.Pow(2, delivery.Attempts - 1);
                Log.DeliveryRetried(logger, ex, delivery.Id, delivery.Topic, delivery.Attempts, retryAt);
                await deliveries.RetryAsync(delivery.Id, reason, retryAt, CancellationToken.None);
            }
        }
    }

    private async Task<Outcome> MapAndAppendAsync(ShopDelivery delivery, CancellationToken ct)
    {
        if (await connectors.FindAsync(delivery.ConnectorId, ct) is not { } connector)
            return Outcome.Failed("the connector was deleted");
        JsonElement body;
        try
        {
            body = JsonSerializer.Deserialize<JsonElement>(delivery.Body);
        }
        catch (JsonException ex)
        {
            return Outcome.Failed("the body is not JSON: " + ex.Message);
        }

        var mapping = ShopMapper.Map(connector.Platform, connector.ShopDomain, delivery.Topic, body);
        if (!mapping.Known)
            return new Outcome(false, 0, mapping.Note, null);

        var notes = new List<string>();
        if (mapping.Note is { } note)
            notes.Add(note);
        var events = await AttachToBuyersAsync(connector, mapping.Events, notes, ct);
        var appended = await AppendAsync(connector, events, delivery.ReceivedAt, ct);
        if (mapping.Products.Count > 0)
            notes.Add(await catalog.ApplyAsync(connector, mapping.Products, ct));
        return new Outcome(true, appended, notes.Count == 0 ? null : string.Join("; ", notes), null);
    }

    /// <summary>
    /// Remembers the buyer of every order event, and gives events that name only their order (Shopify refunds) the
    /// buyer of that order; those whose order the connector never saw are left out, with a note.
    /// </summary>
    private async Task<List<ShopEvent>> AttachToBuyersAsync(Connector connector, IReadOnlyList<ShopEvent> events, List<string> notes, CancellationToken ct)
    {
        var attached = new List<ShopEvent>(events.Count);
        foreach (var e in events)
        {
            var orderId = e.Properties["order_id"]?.GetValue<string>();
            if (e.Customer.IsKnown)
            {
                if (orderId is not null)
                    await buyers.RememberAsync(connector.Id, orderId, new OrderBuyer(e.Customer.CustomerId, e.Customer.Email, e.Customer.Phone), ct);
                attached.Add(e);
            }
            else if (orderId is not null && await buyers.FindAsync(connector.Id, orderId, ct) is { } buyer)
            {
                attached.Add(e with { Customer = e.Customer with { CustomerId = buyer.CustomerId, Email = buyer.Email, Phone = buyer.Phone } });
            }
            else
            {
                notes.Add($"{e.Name} for order {orderId ?? "(none)"} left out: Nudge has not seen that order's buyer");
            }
        }
        return attached;
    }

    /// <summary>Appends the events this connector has not appended before; the count of those the log took as new.</summary>
    private async Task<int> AppendAsync(Connector connector, List<ShopEvent> events, DateTimeOffset receivedAt, CancellationToken ct)
    {
        if (events.Count == 0)
            return 0;
        var unseen = await deliveries.UnseenEventIdsAsync(connector.Id, events.Select(e => e.MessageId), ct);
        var fresh = events.Where(e => unseen.Contains(e.MessageId)).ToList();
        if (fresh.Count == 0)
            return 0;
        var region = (await keys.FindWorkspaceAsync(connector.WorkspaceId, ct))?.DefaultRegion ?? nudge.Value.DefaultRegion;
        var outcomes = await log.AppendAsync(fresh.Select(e => ConnectorMessages.ToAppend(connector.WorkspaceId, connector.Platform, e, receivedAt, region)).ToList(), ct);
        // Remembered after the append: a crash in between appends again after the restart, and the log's window drops it.
        await deliveries.RememberEventIdsAsync(connector.Id, fresh.Select(e => e.MessageId).ToList(), ct);
        return outcomes.Count(o => !o.Duplicate);
    }

    private sealed record Outcome(bool Known, int Events, string? Note, string? Permanent)
    {
        public static Outcome Failed(string reason) => new(true, 0, null, reason);
    }
}
