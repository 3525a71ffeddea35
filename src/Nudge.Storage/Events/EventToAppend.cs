using Nudge.Core.Identity;
using Nudge.Core.Ingestion;

namespace Nudge.Storage.Events;

/// <summary>
/// A validated message waiting to be written to the log. Its ids and de-duplication key are worked out
/// when it is created, on the caller's thread, to keep the single log writer's work per event short.
/// </summary>
/// <param name="WorkspaceId">The shop it belongs to.</param>
/// <param name="Message">The parsed message.</param>
/// <param name="KeyKind">Who sent it.</param>
/// <param name="Body">The message JSON as stored in the log.</param>
/// <param name="DefaultRegion">Country used to read phone numbers without a country code.</param>
public sealed record EventToAppend(string WorkspaceId, IncomingMessage Message, KeyKind KeyKind, string Body, string? DefaultRegion)
{
    /// <summary>The normalized ids the message names.</summary>
    public IReadOnlyList<IdentityKey> Claims { get; } = IdentityClaims.Of(Message, DefaultRegion);

    /// <summary>
    /// Set for events Nudge writes about a profile it already knows (e.g. Segment Entered): the event goes to
    /// this profile as is, without identity resolution.
    /// </summary>
    public string? ForProfile { get; init; }

    /// <summary>The message's key in the de-duplication window.</summary>
    internal UInt128 MessageKey { get; } = RecentMessageIds.Key(WorkspaceId, Message.MessageId);
}

/// <summary>What the log did with one message.</summary>
/// <param name="Duplicate">True when the message id was seen before; nothing was written.</param>
/// <param name="Sequence">Its position in the log (0 for a duplicate).</param>
/// <param name="ProfileId">The profile it was resolved to (empty for a duplicate).</param>
public readonly record struct AppendOutcome(bool Duplicate, long Sequence, string ProfileId);
