namespace Nudge.Storage.Outbox;

/// <summary>Something the recipient or their mail system did with a sent message, for its history.</summary>
/// <param name="OutboxId">The message.</param>
/// <param name="WorkspaceId">Its shop.</param>
/// <param name="Status">delivered, deferred, bounced, opened, clicked, viewed, complained or unsubscribed (<see cref="OutboxStatus"/>).</param>
/// <param name="At">When.</param>
/// <param name="Detail">The link clicked, the status code and diagnostic, whether a machine did it.</param>
public sealed record MessageFeedback(string OutboxId, string WorkspaceId, string Status, DateTimeOffset At, string? Detail);

/// <summary>One bounce of an address, as soft-bounce counting reads them.</summary>
/// <param name="WorkspaceId">The shop.</param>
/// <param name="Address">The normalized email address.</param>
/// <param name="Hard">True for a hard bounce.</param>
/// <param name="OutboxId">The message it was about, when known.</param>
/// <param name="At">When it was reported.</param>
/// <param name="Detail">The status code and diagnostic.</param>
public sealed record EmailBounce(string WorkspaceId, string Address, bool Hard, string? OutboxId, DateTimeOffset At, string? Detail);
