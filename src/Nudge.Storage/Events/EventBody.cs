using System.Text;

namespace Nudge.Storage.Events;

/// <summary>
/// A message's JSON as the log stores it, in UTF-8. Ingestion takes the bytes straight from the request, and SQLite
/// stores them as they are: a string on the way would be transcoded to UTF-16 and back for every event.
/// </summary>
/// <param name="Utf8">The JSON text's UTF-8 bytes.</param>
public readonly record struct EventBody(byte[] Utf8)
{
    /// <summary>The JSON as a string (for PostgreSQL, and for callers that built a string anyway).</summary>
    public string Text => Encoding.UTF8.GetString(Utf8);

    /// <summary>A body from JSON text.</summary>
    public static EventBody FromText(string json) => new(Encoding.UTF8.GetBytes(json));

    /// <summary>Lets the many places that build JSON text pass it as it is.</summary>
    public static implicit operator EventBody(string json) => FromText(json);
}
