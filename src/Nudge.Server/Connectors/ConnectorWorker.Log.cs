namespace Nudge.Server.Connectors;

/// <summary>The connector feature's log lines.</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook for connector {ConnectorId} ({Platform}) refused: invalid signature")]
    public static partial void SignatureRejected(ILogger logger, string connectorId, string platform);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryKey} for connector {ConnectorId} was received before; not stored again")]
    public static partial void DuplicateDelivery(ILogger logger, string connectorId, string deliveryKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} of connector {ConnectorId}: topic {Topic} is not mapped; marked ignored")]
    public static partial void TopicIgnored(ILogger logger, string deliveryId, string connectorId, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} ({Topic}) failed on attempt {Attempt}; retrying at {RetryAt}")]
    public static partial void DeliveryRetried(ILogger logger, Exception error, string deliveryId, string topic, int attempt, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {DeliveryId} ({Topic}) failed for good: {Reason}")]
    public static partial void DeliveryFailed(ILogger logger, string deliveryId, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The connector worker failed to claim deliveries; trying again")]
    public static partial void ClaimFailed(ILogger logger, Exception error);
}
