using System.Text.Json;

namespace Nudge.Server.Ingestion;

/// <summary>
/// A Segment tracking-API message, as documented in the OpenAPI document. The endpoints read the raw JSON
/// (any content type, gzip) and validate it themselves; these types only describe it.
/// </summary>
/// <param name="Type">track, identify, page, screen, group or alias (implied by single-message endpoints).</param>
/// <param name="MessageId">Unique per message; used to de-duplicate resends.</param>
/// <param name="UserId">The shop's customer id; this or anonymousId is required.</param>
/// <param name="AnonymousId">The tracker's cookie or device id.</param>
/// <param name="Event">Track event name, e.g. "Order Completed".</param>
/// <param name="Name">Page or screen name.</param>
/// <param name="GroupId">Group id of a group call.</param>
/// <param name="PreviousId">The other id of an alias call.</param>
/// <param name="Timestamp">ISO-8601 time of the event on the client.</param>
/// <param name="SentAt">ISO-8601 time the client sent it; used to correct clock skew.</param>
/// <param name="Properties">Track/page/screen properties.</param>
/// <param name="Traits">Identify/group traits.</param>
/// <param name="Context">Tracker context (timezone, location, traits, library, ...).</param>
public sealed record TrackingMessage(
    string? Type,
    string? MessageId,
    string? UserId,
    string? AnonymousId,
    string? Event,
    string? Name,
    string? GroupId,
    string? PreviousId,
    DateTimeOffset? Timestamp,
    DateTimeOffset? SentAt,
    JsonElement? Properties,
    JsonElement? Traits,
    JsonElement? Context);

/// <summary>A batch of tracking messages (at most 500 KB, each message at most 32 KB).</summary>
/// <param name="Batch">The messages.</param>
/// <param name="SentAt">When the client sent the batch.</param>
/// <param name="WriteKey">The write key, when not sent as the Basic-auth user name.</param>
public sealed record TrackingBatch(IReadOnlyList<TrackingMessage> Batch, DateTimeOffset? SentAt, string? WriteKey);
