using System.Text.Json;

namespace Nudge.Core.Ingestion;

/// <summary>
/// A validated Segment tracking-API message, with timestamps corrected for client clock skew.
/// </summary>
/// <remarks>
/// <see cref="Timestamp"/> is what every later decision uses: the client's time shifted by
/// <c>receivedAt - sentAt</c>, as Segment does. <see cref="OriginalTimestamp"/> keeps what the client said.
/// </remarks>
public sealed record IncomingMessage
{
    public required MessageType Type { get; init; }
    public required string MessageId { get; init; }
    public string? UserId { get; init; }
    public string? AnonymousId { get; init; }

    /// <summary>The track event name, or the page/screen name.</summary>
    public string? Name { get; init; }

    public string? GroupId { get; init; }
    public string? PreviousId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public DateTimeOffset? OriginalTimestamp { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The message as the client sent it (traits, properties, context and all).</summary>
    public required JsonElement Body { get; init; }

    /// <summary>
    /// The person's traits: the <c>traits</c> object of an identify call, else <c>context.traits</c>, if any.
    /// A group call's own <c>traits</c> describe the group (the company's name and email), not the person.
    /// </summary>
    public JsonElement? Traits => Property(Type is MessageType.Identify ? "traits" : null)
        ?? ContextProperty("traits");

    /// <summary>The <c>properties</c> object of track/page/screen calls, if any.</summary>
    public JsonElement? Properties => Property("properties");

    /// <summary>The <c>context</c> object, if any.</summary>
    public JsonElement? Context => Property("context");

    private JsonElement? Property(string? name) =>
        name is not null && Body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private JsonElement? ContextProperty(string name) =>
        Context is { } context && context.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;
}
