namespace Nudge.Storage.Connectors;

/// <summary>One webhook delivery from a shop, stored as it arrived and processed afterwards.</summary>
/// <param name="Id">Delivery id (<c>dlv_...</c>).</param>
/// <param name="ConnectorId">The connector it came through.</param>
/// <param name="WorkspaceId">The workspace of the connector.</param>
/// <param name="DeliveryKey">The shop's delivery id (or a hash of the body), unique per connector.</param>
/// <param name="Topic">What happened, in the shop's words (<c>orders/create</c>, <c>order.updated</c>, <c>checkout.order.placed</c>).</param>
/// <param name="Body">The raw body, as signed.</param>
/// <param name="ReceivedAt">When it arrived.</param>
/// <param name="Status">One of <see cref="DeliveryStatus"/>.</param>
/// <param name="Attempts">How many times processing was started.</param>
/// <param name="NextAttemptAt">When it is due (for pending deliveries).</param>
/// <param name="FinishedAt">When it was processed, ignored or given up on.</param>
/// <param name="Events">How many events it appended to the event log.</param>
/// <param name="Error">Why the last attempt failed, or why it was ignored.</param>
public sealed record ShopDelivery(
    string Id,
    string ConnectorId,
    string WorkspaceId,
    string DeliveryKey,
    string Topic,
    string Body,
    DateTimeOffset ReceivedAt,
    string Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? FinishedAt,
    int Events,
    string? Error);

/// <summary>Where a delivery stands.</summary>
public static class DeliveryStatus
{
    /// <summary>Waiting to be processed (or to be retried at its next attempt time).</summary>
    public const string Pending = "pending";

    /// <summary>Claimed by a worker until its lease runs out.</summary>
    public const string Processing = "processing";

    /// <summary>Mapped and appended to the event log (and the catalog).</summary>
    public const string Processed = "processed";

    /// <summary>A topic Nudge does not map: accepted and kept, but nothing came of it.</summary>
    public const string Ignored = "ignored";

    /// <summary>Processing failed on every attempt; the error says why.</summary>
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Processing, Processed, Ignored, Failed];
}

/// <summary>What storing a delivery did.</summary>
/// <param name="DeliveryId">The stored delivery (the earlier one for a repeat).</param>
/// <param name="IsNew">False when the shop sent this delivery before: nothing was stored.</param>
public readonly record struct ReceivedDelivery(string DeliveryId, bool IsNew);
