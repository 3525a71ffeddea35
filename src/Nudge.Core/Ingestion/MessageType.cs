namespace Nudge.Core.Ingestion;

/// <summary>The Segment tracking-API call a message came from.</summary>
public enum MessageType
{
    Track,
    Identify,
    Page,
    Screen,
    Group,
    Alias,
}
