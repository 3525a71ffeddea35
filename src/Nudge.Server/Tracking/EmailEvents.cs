using System.Globalization;
using System.Text.Json.Nodes;
using Nudge.Core.Ingestion;
using Nudge.Storage.Events;
using Nudge.Storage.Outbox;

namespace Nudge.Server.Tracking;

/// <summary>
/// Builds the track events of email engagement and feedback for a known profile. Their message ids are chosen so that
/// the log's de-duplication counts repeats the way ADR 0019 says: one open per message per minute, one click per link
/// per minute, one view per minute, one bounce or complaint per message.
/// </summary>
internal static class EmailEvents
{
    /// <summary>An event about <paramref name="message"/> for <paramref name="profileId"/>; <paramref name="dedupe"/> makes its message id.</summary>
    public static EventToAppend For(
        OutboxMessage message, string profileId, string name, string dedupe, DateTimeOffset at, Action<JsonObject>? more = null)
    {
        var properties = new JsonObject
        {
            ["message_id"] = message.Id,
            ["message_key"] = message.MessageKey,
            ["subject"] = message.Subject,
        };
        if (message.Flow is { } flow)
        {
            properties["flow_id"] = flow.FlowId;
            properties["run_id"] = flow.RunId;
            properties["step_id"] = flow.StepId;
            properties["template_id"] = flow.TemplateId;
        }
        if (message.TemplateVersion is { } version)
            properties["template_version"] = version;
        more?.Invoke(properties);

        return EventToAppend.ProfileTrack(message.WorkspaceId, profileId, name, $"nudge-email-{dedupe}", at, properties, KeyKind.Server);
    }

    /// <summary>The minute of <paramref name="at"/>, as the de-duplication part of repeated opens, clicks and views.</summary>
    public static string Minute(DateTimeOffset at) => (at.ToUnixTimeSeconds() / 60).ToString(CultureInfo.InvariantCulture);
}
