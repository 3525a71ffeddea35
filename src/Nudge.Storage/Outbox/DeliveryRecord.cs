namespace Nudge.Storage.Outbox;

/// <summary>What became of one claimed message, as a delivery worker records it.</summary>
/// <param name="Id">The outbox row.</param>
/// <param name="Status">sent, deferred, bounced, failed or skipped (<see cref="OutboxStatus"/>).</param>
/// <param name="At">When the provider answered.</param>
/// <param name="NextAttemptAt">For deferred: when to try again.</param>
/// <param name="ProviderMessageId">For sent: the provider's id, when it gave one.</param>
/// <param name="Detail">The provider's reply or the reason, for the delivery log.</param>
public sealed record DeliveryRecord(string Id, string Status, DateTimeOffset At, DateTimeOffset? NextAttemptAt, string? ProviderMessageId, string? Detail);

/// <summary>One entry of a message's status history.</summary>
/// <param name="Status">queued, sent, deferred, bounced, failed, skipped or unrecorded.</param>
/// <param name="At">When.</param>
/// <param name="Detail">The provider's reply or the reason.</param>
public sealed record MessageEvent(string Status, DateTimeOffset At, string? Detail);

/// <summary>A message that a stopped worker had claimed and never recorded, found again by recovery.</summary>
/// <param name="Id">The outbox row.</param>
/// <param name="WorkspaceId">Its shop.</param>
/// <param name="MessageKey">Its key.</param>
/// <param name="ClaimedUntil">When the stopped worker's lease ran out.</param>
public sealed record UnrecordedMessage(string Id, string WorkspaceId, string MessageKey, DateTimeOffset ClaimedUntil);
