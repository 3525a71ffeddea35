using System.Text.Json;

namespace Nudge.Core.Ingestion;

/// <summary>
/// How an event says it is history brought in by an import rather than something happening now: its
/// <c>context.import</c> object (ADR 0017). Profiles, computed traits and segments take such events in like any
/// other, at their original time; flows do not act on them (no starts, no exits, no answered waits), so importing
/// last year's orders sends no thank-you mail today.
/// </summary>
public static class ImportMark
{
    /// <summary>The key under <c>context</c>.</summary>
    public const string ContextKey = "import";

    /// <summary>True when the message body carries <c>context.import</c>.</summary>
    public static bool IsImported(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object
        && body.TryGetProperty("context", out var context)
        && context.ValueKind == JsonValueKind.Object
        && context.TryGetProperty(ContextKey, out var mark)
        && mark.ValueKind == JsonValueKind.Object;
}
