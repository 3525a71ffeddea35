using System.Globalization;
using System.Text.Json.Nodes;
using Nudge.Core.Ingestion;
using Nudge.Storage.Events;

namespace Nudge.Engine.Segments;

/// <summary>
/// Turns membership changes into <c>Segment Entered</c> / <c>Segment Exited</c> events in the log, where flows
/// start on them and the timeline shows them.
/// </summary>
public static class SegmentChangeEvents
{
    public const string Entered = "Segment Entered";
    public const string Exited = "Segment Exited";

    /// <remarks>
    /// The message id names the segment, the profile and the change's number, so a change replayed after a crash
    /// is the same message and the log's de-duplication drops it.
    /// A change that imported history alone caused carries <c>context.import</c>, like the events that caused it, so
    /// flows do not start on it (ADR 0017).
    /// </remarks>
    public static EventToAppend For(string workspaceId, SegmentChange change, bool imported = false)
    {
        var m = change.Membership;
        var name = m.IsMember ? Entered : Exited;
        var messageId = $"nudge-segment-{m.SegmentId}-{m.ProfileId}-{m.Changes.ToString(CultureInfo.InvariantCulture)}";
        var properties = new JsonObject
        {
            ["segment_id"] = m.SegmentId,
            ["segment_name"] = change.Segment.Name,
            ["segment_version"] = change.Segment.Version,
        };
        var context = imported ? new JsonObject { [ImportMark.ContextKey] = new JsonObject { ["cause"] = "import" } } : null;
        return EventToAppend.ProfileTrack(workspaceId, m.ProfileId, name, messageId, m.ChangedAt, properties, context: context);
    }
}
