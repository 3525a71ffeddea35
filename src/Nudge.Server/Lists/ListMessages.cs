using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nudge.Core.Ingestion;
using Nudge.Core.Lists;
using Nudge.Storage.Events;
using Nudge.Storage.Lists;

namespace Nudge.Server.Lists;

/// <summary>Who a list event is about: a profile Nudge knows, or the ids identity resolution finds (or creates) the person by.</summary>
/// <param name="ProfileId">A known profile: the event goes to it as is.</param>
/// <param name="UserId">The shop's customer id.</param>
/// <param name="Email">A normalized email address.</param>
/// <param name="Phone">A normalized (E.164) phone number.</param>
public sealed record ListSubject(string? ProfileId, string? UserId, string? Email, string? Phone)
{
    public static ListSubject OfProfile(string profileId) => new(profileId, null, null, null);

    public static ListSubject OfEmail(string email) => new(null, null, email, null);

    /// <summary>The id the subject was named by, for deterministic message ids.</summary>
    public string Key => ProfileId is { } p ? "profile:" + p : UserId is { } u ? "user:" + u : "email:" + Email;
}

/// <summary>
/// Builds the events the lists feature writes to the log: <c>List Joined</c>, <c>List Left</c>, <c>Consent Changed</c>
/// and the identify that carries imported or signed-up traits. They are written with a server key (the admin or the
/// confirmed person vouches for them) and, for a person named by email, the address in <c>context.traits.email</c>,
/// so identity resolution finds or creates the profile as for any tracked event.
/// </summary>
public static class ListMessages
{
    /// <summary>
    /// The message id of a join: it names the list, the person as named and the number of joins and leaves so far,
    /// so a retried request (or a re-run import) is the same message and the log drops it, while a later re-join is new.
    /// </summary>
    public static string JoinId(string listId, ListSubject who, long changes) => Id(listId, "joined", who.Key, changes);

    /// <summary>The message id of a leave; see <see cref="JoinId"/>.</summary>
    public static string LeaveId(string listId, ListSubject who, long changes) => Id(listId, "left", who.Key, changes);

    /// <summary>The message id of an identify that carries one import row's traits (a changed row is a new message).</summary>
    public static string ImportIdentifyId(string listId, ListSubject who, long changes, string row) => Id(listId, "import-" + Hash(row), who.Key, changes);

    public static EventToAppend Joined(
        string workspaceId, ListRecord list, ListSubject who, string source, string messageId, DateTimeOffset at, string? region,
        KeyKind kind = KeyKind.Server, JsonObject? more = null) =>
        Track(workspaceId, ListEvents.Joined, messageId, at, who, ListProperties(list.Id, list.Name, source, more), region, kind);

    public static EventToAppend Left(
        string workspaceId, string listId, string listName, ListSubject who, string source, string messageId, DateTimeOffset at, KeyKind kind = KeyKind.Server) =>
        Track(workspaceId, ListEvents.Left, messageId, at, who, ListProperties(listId, listName, source, null), null, kind);

    /// <summary>A consent change with its evidence; the consent feature applies it to the profile.</summary>
    public static EventToAppend ConsentChanged(
        string workspaceId, ListSubject who, string messageId, DateTimeOffset at, JsonObject evidence, string? region, string? ip) =>
        Track(workspaceId, ListEvents.ConsentChanged, messageId, at, who, evidence, region, KeyKind.Server, ip);

    /// <summary>An identify setting traits of the person (the ids of <paramref name="who"/> are added to them).</summary>
    public static EventToAppend Identify(string workspaceId, ListSubject who, string messageId, DateTimeOffset at, JsonObject traits, string? region)
    {
        var allTraits = new JsonObject();
        if (who.Email is { } email)
            allTraits["email"] = email;
        if (who.Phone is { } phone)
            allTraits["phone"] = phone;
        foreach (var (key, value) in traits)
            allTraits[key] = value?.DeepClone();
        var body = new JsonObject
        {
            ["type"] = "identify",
            ["messageId"] = messageId,
            ["timestamp"] = at.ToString("O", CultureInfo.InvariantCulture),
            ["traits"] = allTraits,
            ["context"] = Library(),
        };
        if (who.UserId is { } userId)
            body["userId"] = userId;
        return Append(workspaceId, MessageType.Identify, null, messageId, at, who, body, region, KeyKind.Server);
    }

    private static EventToAppend Track(
        string workspaceId, string name, string messageId, DateTimeOffset at, ListSubject who, JsonObject properties, string? region, KeyKind kind, string? ip = null)
    {
        var context = Library();
        var traits = new JsonObject();
        if (who.Email is { } email)
            traits["email"] = email;
        if (who.Phone is { } phone)
            traits["phone"] = phone;
        if (traits.Count > 0)
            context["traits"] = traits;
        if (ip is not null)
            context["ip"] = ip;
        var body = new JsonObject
        {
            ["type"] = "track",
            ["event"] = name,
            ["messageId"] = messageId,
            ["timestamp"] = at.ToString("O", CultureInfo.InvariantCulture),
            ["properties"] = properties,
            ["context"] = context,
        };
        if (who.UserId is { } userId)
            body["userId"] = userId;
        return Append(workspaceId, MessageType.Track, name, messageId, at, who, body, region, kind);
    }

    private static EventToAppend Append(
        string workspaceId, MessageType type, string? name, string messageId, DateTimeOffset at, ListSubject who, JsonObject body, string? region, KeyKind kind)
    {
        var json = body.ToJsonString();
        var message = new IncomingMessage
        {
            Type = type,
            MessageId = messageId,
            UserId = who.UserId,
            Name = name,
            Timestamp = at,
            ReceivedAt = at,
            Body = JsonSerializer.Deserialize<JsonElement>(json),
        };
        return new EventToAppend(workspaceId, message, kind, json, region) { ForProfile = who.ProfileId };
    }

    private static JsonObject ListProperties(string listId, string listName, string source, JsonObject? more)
    {
        var properties = new JsonObject { [ListEvents.ListIdProperty] = listId, ["list_name"] = listName, ["source"] = source };
        foreach (var (key, value) in more ?? [])
            properties[key] = value?.DeepClone();
        return properties;
    }

    private static JsonObject Library() => new() { ["library"] = new JsonObject { ["name"] = "nudge", ["version"] = "lists" } };

    private static string Id(string listId, string what, string key, long changes) =>
        $"nudge-{listId}-{what}-{Hash(key)}-{changes.ToString(CultureInfo.InvariantCulture)}";

    // Hashed: message ids show in timelines and logs, and need not spell out the address they were made for.
    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 12));
}
