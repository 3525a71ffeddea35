using System.Text.Json;
using Nudge.Core.Ingestion;

namespace Nudge.Core.Lists;

/// <summary>
/// The track events that make up list membership (ADR 0008). Joining or leaving a static list is an event in the
/// log like everything else about a person, so membership replays, shows in the timeline and can start flows.
/// </summary>
public static class ListEvents
{
    /// <summary>The person joined the list named by <c>properties.list_id</c>.</summary>
    public const string Joined = "List Joined";

    /// <summary>The person left the list named by <c>properties.list_id</c>.</summary>
    public const string Left = "List Left";

    /// <summary>A consent change with its evidence (channel, status, source, IP, wording); applied by the consent feature.</summary>
    public const string ConsentChanged = "Consent Changed";

    /// <summary>The property naming the list.</summary>
    public const string ListIdProperty = "list_id";

    /// <summary>
    /// The list this event makes the person join or leave, or null when it is no list event or comes from a sender
    /// that may not change lists: a browser key is public, so anyone could send with it.
    /// </summary>
    public static ListMembershipEvent? Read(LoggedEvent e)
    {
        if (e.Type != MessageType.Track || e.KeyKind is not (KeyKind.Server or KeyKind.Internal))
            return null;
        var joined = e.Name == Joined;
        if (!joined && e.Name != Left)
            return null;
        if (e.Body.ValueKind != JsonValueKind.Object
            || !e.Body.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object
            || !properties.TryGetProperty(ListIdProperty, out var id) || id.ValueKind != JsonValueKind.String
            || id.GetString() is not { Length: > 0 } listId)
        {
            return null;
        }
        return new ListMembershipEvent(listId, joined);
    }
}

/// <summary>A trusted join or leave of one list.</summary>
/// <param name="ListId">The list (<c>lst_...</c>).</param>
/// <param name="Joined">True for a join, false for a leave.</param>
public sealed record ListMembershipEvent(string ListId, bool Joined);
