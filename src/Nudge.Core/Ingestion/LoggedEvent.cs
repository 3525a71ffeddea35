using System.Text.Json;
using Nudge.Core.Identity;

namespace Nudge.Core.Ingestion;

/// <summary>
/// An event as it stands in the event log: accepted, de-duplicated and already resolved to its profile.
/// </summary>
/// <param name="Sequence">Position in the log; increases with every append.</param>
/// <param name="WorkspaceId">The shop the event belongs to.</param>
/// <param name="ProfileId">The profile it was resolved to when it was written.</param>
/// <param name="MessageId">The sender's message id (unique per workspace).</param>
/// <param name="Type">The tracking call.</param>
/// <param name="Name">Track event name or page/screen name.</param>
/// <param name="Timestamp">Skew-corrected event time.</param>
/// <param name="ReceivedAt">When Nudge received it.</param>
/// <param name="KeyKind">Who sent it.</param>
/// <param name="Body">The message as sent.</param>
/// <param name="Identity">What identity resolution decided for this event.</param>
public sealed record LoggedEvent(
    long Sequence,
    string WorkspaceId,
    string ProfileId,
    string MessageId,
    MessageType Type,
    string? Name,
    DateTimeOffset Timestamp,
    DateTimeOffset ReceivedAt,
    KeyKind KeyKind,
    JsonElement Body,
    EventIdentity Identity);
