using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nudge.Channels.Push;

/// <summary>
/// A notification as Nudge's service worker (<c>/push/sw.js</c>) shows it: sent as this JSON, encrypted.
/// </summary>
/// <param name="Title">The notification's title.</param>
/// <param name="Body">Its text.</param>
/// <param name="Url">What a click opens.</param>
/// <param name="Icon">Small image beside the text.</param>
/// <param name="Image">Large image (where the platform shows one).</param>
/// <param name="Badge">Monochrome icon for the status bar (Android).</param>
/// <param name="Tag">A newer notification with the same tag replaces the older one.</param>
public sealed record PushMessage(
    string Title,
    string? Body = null,
    string? Url = null,
    string? Icon = null,
    string? Image = null,
    string? Badge = null,
    string? Tag = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The JSON payload the service worker reads.</summary>
    public byte[] ToPayload() => JsonSerializer.SerializeToUtf8Bytes(this, Json);
}

/// <summary>How urgent a message is (RFC 8030 section 5.3): push services may hold back low urgency on a low battery.</summary>
public enum PushUrgency
{
    /// <summary>Deliver when the device is on power and Wi-Fi.</summary>
    VeryLow,

    /// <summary>Deliver when on power or Wi-Fi.</summary>
    Low,

    /// <summary>Deliver unless the battery is very low (the default).</summary>
    Normal,

    /// <summary>Deliver at once (time-critical messages only).</summary>
    High,
}

/// <summary>Per-message settings of a push send.</summary>
/// <param name="TimeToLive">How long the push service keeps it for an offline browser; null takes <see cref="WebPushOptions.TimeToLive"/>.</param>
/// <param name="Urgency">See <see cref="PushUrgency"/>.</param>
/// <param name="Topic">A message with the same topic replaces one still waiting at the push service (up to 32 base64url characters).</param>
public sealed record PushSendOptions(TimeSpan? TimeToLive = null, PushUrgency Urgency = PushUrgency.Normal, string? Topic = null);
