using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
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
public sealed record EventToAppend(string WorkspaceId, IncomingMessage Message, KeyKind KeyKind, EventBody Body, string? DefaultRegion)
{
    /// <summary>The normalized ids the message names.</summary>
    public IReadOnlyList<IdentityKey> Claims { get; } = IdentityClaims.Of(Message, DefaultRegion);

    /// <summary>
    /// Set for events Nudge writes about a profile it already knows (e.g. Segment Entered): the event goes to
    /// this profile as is, without identity resolution.
    /// </summary>
    public string? ForProfile { get; init; }

    /// <summary>
    /// A track event Nudge writes about a profile it already knows (Segment Entered, Email Opened, Coupon Redeemed, ...):
    /// it goes to that profile as is. A repeated <paramref name="messageId"/> is dropped by the log's de-duplication.
    /// </summary>
    /// <param name="workspaceId">The shop.</param>
    /// <param name="profileId">The profile the event is about.</param>
    /// <param name="name">The event's name.</param>
    /// <param name="messageId">Its message id, chosen so that a repeat of the same fact is the same message.</param>
    /// <param name="at">When it happened.</param>
    /// <param name="properties">Its properties.</param>
    /// <param name="kind">Who is taken to have sent it (<see cref="KeyKind.Internal"/> for Nudge's own conclusions).</param>
    /// <param name="context">Its context, if any (e.g. <c>context.import</c>).</param>
    public static EventToAppend ProfileTrack(string workspaceId, string profileId, string name, string messageId, DateTimeOffset at,
        JsonObject properties, KeyKind kind = KeyKind.Internal, JsonObject? context = null)
    {
        var body = new JsonObject
        {
            ["type"] = "track",
            ["event"] = name,
            ["messageId"] = messageId,
            ["timestamp"] = at.ToString("O", CultureInfo.InvariantCulture),
            ["properties"] = properties,
        };
        if (context is not null)
            body["context"] = context;
        var json = body.ToJsonString();
        var message = new IncomingMessage
        {
            Type = MessageType.Track,
            MessageId = messageId,
            Name = name,
            Timestamp = at,
            ReceivedAt = at,
            Body = JsonSerializer.Deserialize<JsonElement>(json),
        };
        return new EventToAppend(workspaceId, message, kind, json, null) { ForProfile = profileId };
    }

    /// <summary>The message's key in the de-duplication window.</summary>
    internal UInt128 MessageKey { get; } = RecentMessageIds.Key(WorkspaceId, Message.MessageId);
}

/// <summary>What the log did with one message.</summary>
/// <param name="Duplicate">True when the message id was seen before; nothing was written.</param>
/// <param name="Sequence">Its position in the log (0 for a duplicate).</param>
/// <param name="ProfileId">The profile it was resolved to (empty for a duplicate).</param>
public readonly record struct AppendOutcome(bool Duplicate, long Sequence, string ProfileId);
