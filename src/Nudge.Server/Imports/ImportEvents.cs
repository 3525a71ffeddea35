using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Nudge.Core.Ingestion;
using Nudge.Storage.Events;

namespace Nudge.Server.Imports;

/// <summary>
/// Writes the messages of imported rows straight as UTF-8 JSON (a million orders leave no time for a DOM per row).
/// Every message carries <c>context.import</c> (<see cref="ImportMark"/>) and a message id made from the row's key,
/// so the same row imported twice is the same message and the log keeps one.
/// </summary>
internal sealed class ImportEvents(string workspaceId, string importId, string? region, TimeProvider time)
{
    /// <summary>The start of every imported message id.</summary>
    public const string MessagePrefix = "nudge-import-";

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    /// <summary>The message id of an order: the order id alone, so re-imports and overlapping files name the same order the same way.</summary>
    public static string OrderMessageId(string orderId) => MessagePrefix + "order-" + Hash(orderId);

    /// <summary>The message id of a customer row: the customer and the row's content (a changed row is a new message).</summary>
    public static string CustomerMessageId(string key, string content) => MessagePrefix + "customer-" + Hash(key) + "-" + Hash(content);

    public EventToAppend Identify(string messageId, DateTimeOffset at, long line, Who who, Action<Utf8JsonWriter> traits)
    {
        _buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "identify");
            json.WriteString("messageId", messageId);
            json.WriteString("timestamp", at);
            if (who.UserId is { } userId)
                json.WriteString("userId", userId);
            json.WriteStartObject("traits");
            if (who.Email is { } email)
                json.WriteString("email", email);
            if (who.Phone is { } phone)
                json.WriteString("phone", phone);
            traits(json);
            json.WriteEndObject();
            WriteContext(json, line, null);
            json.WriteEndObject();
        }
        return Append(MessageType.Identify, null, messageId, at, who.UserId);
    }

    public EventToAppend Track(string name, string messageId, DateTimeOffset at, long line, Who who, Action<Utf8JsonWriter> properties)
    {
        _buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "track");
            json.WriteString("event", name);
            json.WriteString("messageId", messageId);
            json.WriteString("timestamp", at);
            if (who.UserId is { } userId)
                json.WriteString("userId", userId);
            json.WriteStartObject("properties");
            properties(json);
            json.WriteEndObject();
            WriteContext(json, line, who);
            json.WriteEndObject();
        }
        return Append(MessageType.Track, name, messageId, at, who.UserId);
    }

    private void WriteContext(Utf8JsonWriter json, long line, Who? who)
    {
        json.WriteStartObject("context");
        json.WriteStartObject("library");
        json.WriteString("name", "nudge");
        json.WriteString("version", "import");
        json.WriteEndObject();
        json.WriteStartObject(ImportMark.ContextKey);
        json.WriteString("id", importId);
        json.WriteNumber("line", line);
        json.WriteEndObject();
        if (who is { Email: not null } or { Phone: not null })
        {
            json.WriteStartObject("traits");
            if (who.Email is { } email)
                json.WriteString("email", email);
            if (who.Phone is { } phone)
                json.WriteString("phone", phone);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private EventToAppend Append(MessageType type, string? name, string messageId, DateTimeOffset at, string? userId)
    {
        var bytes = _buffer.WrittenSpan;
        var message = new IncomingMessage
        {
            Type = type,
            MessageId = messageId,
            UserId = userId,
            Name = name,
            Timestamp = at,
            OriginalTimestamp = at,
            ReceivedAt = time.GetUtcNow(),
            Body = JsonSerializer.Deserialize<JsonElement>(bytes),
        };
        return new EventToAppend(workspaceId, message, KeyKind.Server, new EventBody(bytes.ToArray()), region);
    }

    // Hashed: message ids show in timelines and logs, and need not spell out the addresses or ids they were made from.
    private static string Hash(string text) =>
        XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(text)).ToString("x32", CultureInfo.InvariantCulture);
}

/// <summary>Who a row is about, with normalized ids.</summary>
internal sealed record Who(string? UserId, string? Email, string? Phone)
{
    /// <summary>The id the customer is named by, for message ids.</summary>
    public string Key => UserId is { } u ? "user:" + u : Email is { } e ? "email:" + e : "phone:" + Phone;
}
