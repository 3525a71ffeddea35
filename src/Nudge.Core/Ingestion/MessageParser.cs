using System.Globalization;
using System.Text.Json;

namespace Nudge.Core.Ingestion;

/// <summary>
/// Validates Segment tracking-API messages and normalizes their ids and timestamps.
/// Pure: the receive time is passed in, nothing is read from a clock.
/// </summary>
public static class MessageParser
{
    /// <summary>Longest accepted id (userId, anonymousId, messageId, groupId, previousId).</summary>
    public const int MaxIdLength = 255;

    /// <param name="body">The message JSON.</param>
    /// <param name="path">How errors name the message, e.g. <c>batch[3]</c>; empty for a single call.</param>
    /// <param name="impliedType">The type given by the endpoint (<c>/v1/track</c>), or null for <c>/v1/batch</c>.</param>
    /// <param name="receivedAt">When the server received the request.</param>
    /// <param name="batchSentAt">The batch's own <c>sentAt</c>, used when the message has none.</param>
    /// <param name="newMessageId">Makes a message id for messages that come without one.</param>
    public static ParsedMessage Parse(
        JsonElement body,
        string path,
        MessageType? impliedType,
        DateTimeOffset receivedAt,
        DateTimeOffset? batchSentAt,
        Func<string> newMessageId)
    {
        var errors = new List<FieldError>();
        string Field(string name) => path.Length == 0 ? name : $"{path}.{name}";

        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(path.Length == 0 ? "body" : path, "must be a JSON object"));
            return new ParsedMessage(null, errors);
        }

        var type = ReadType(body, impliedType, Field("type"), errors);
        var messageId = ReadId(body, "messageId", Field("messageId"), errors);
        var userId = ReadId(body, "userId", Field("userId"), errors);
        var anonymousId = ReadId(body, "anonymousId", Field("anonymousId"), errors);
        var groupId = ReadId(body, "groupId", Field("groupId"), errors);
        var previousId = ReadId(body, "previousId", Field("previousId"), errors);
        var timestamp = ReadTime(body, "timestamp", Field("timestamp"), errors);
        var originalTimestamp = ReadTime(body, "originalTimestamp", Field("originalTimestamp"), errors);
        var sentAt = ReadTime(body, "sentAt", Field("sentAt"), errors) ?? batchSentAt;
        string? name = null;

        switch (type)
        {
            case MessageType.Track:
                name = ReadString(body, "event");
                if (string.IsNullOrWhiteSpace(name))
                    errors.Add(new FieldError(Field("event"), "a track call needs an event name"));
                break;
            case MessageType.Page or MessageType.Screen:
                name = ReadString(body, "name");
                break;
            case MessageType.Group when groupId is null:
                errors.Add(new FieldError(Field("groupId"), "a group call needs a groupId"));
                break;
            case MessageType.Alias when previousId is null:
                errors.Add(new FieldError(Field("previousId"), "an alias call needs a previousId"));
                break;
        }

        if (type == MessageType.Alias && userId is null)
            errors.Add(new FieldError(Field("userId"), "an alias call needs a userId"));
        else if (userId is null && anonymousId is null)
            errors.Add(new FieldError(Field("userId"), "either userId or anonymousId is required"));

        if (errors.Count > 0 || type is null)
            return new ParsedMessage(null, errors);

        var clientTime = timestamp ?? originalTimestamp;
        var corrected = clientTime is { } t && sentAt is { } s ? t + (receivedAt - s) : clientTime ?? receivedAt;

        return new ParsedMessage(
            new IncomingMessage
            {
                Type = type.Value,
                MessageId = messageId ?? newMessageId(),
                UserId = userId,
                AnonymousId = anonymousId,
                Name = name,
                GroupId = groupId,
                PreviousId = previousId,
                Timestamp = corrected,
                OriginalTimestamp = clientTime,
                SentAt = sentAt,
                ReceivedAt = receivedAt,
                Body = body,
            },
            errors);
    }

    private static MessageType? ReadType(JsonElement body, MessageType? impliedType, string field, List<FieldError> errors)
    {
        if (!body.TryGetProperty("type", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (impliedType is null)
                errors.Add(new FieldError(field, "is required (track, identify, page, screen, group or alias)"));
            return impliedType;
        }

        if (value.ValueKind == JsonValueKind.String && TypeNamed(value.GetString()!) is { } type)
            return impliedType ?? type;

        errors.Add(new FieldError(field, "unknown type; expected track, identify, page, screen, group or alias"));
        return null;
    }

    // Only the call names themselves: Enum.TryParse would also take "1", " track" or "track, identify".
    private static MessageType? TypeNamed(string name)
    {
        foreach (var type in Enum.GetValues<MessageType>())
        {
            if (name.Equals(type.ToString(), StringComparison.OrdinalIgnoreCase))
                return type;
        }

        return null;
    }

    private static string? ReadId(JsonElement body, string name, string field, List<FieldError> errors)
    {
        if (!body.TryGetProperty(name, out var value))
            return null;

        var id = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!.Trim(),
            // Some trackers send numeric user ids; they are the same id as the decimal string.
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Null => null,
            _ => Invalid(),
        };

        if (id is { Length: > MaxIdLength })
            errors.Add(new FieldError(field, $"must be at most {MaxIdLength} characters"));

        return string.IsNullOrEmpty(id) ? null : id;

        string? Invalid()
        {
            errors.Add(new FieldError(field, "must be a string"));
            return null;
        }
    }

    private static string? ReadString(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? ReadTime(JsonElement body, string name, string field, List<FieldError> errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;

        if (value.ValueKind == JsonValueKind.String && TryParseTime(value.GetString()!, out var time))
            return time;

        errors.Add(new FieldError(field, "must be an ISO-8601 date-time, e.g. 2026-11-24T10:15:00Z"));
        return null;
    }

    /// <summary>Parses an ISO-8601 timestamp; one without an offset is taken as UTC.</summary>
    /// <remarks>
    /// The text must start with a <c>yyyy-MM-dd</c> date: for a bare time of day the framework fills in
    /// today's date from the machine clock, which would make parsing depend on when it runs.
    /// </remarks>
    public static bool TryParseTime(string text, out DateTimeOffset time)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length < 10 || trimmed[4] != '-' || trimmed[7] != '-'
            || !int.TryParse(trimmed[..4], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            time = default;
            return false;
        }

        return DateTimeOffset.TryParse(
            trimmed,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out time);
    }
}
