using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;
using Nudge.Core.Profiles;
using Nudge.Storage.Events;

namespace Nudge.Storage.Tests.Support;

/// <summary>Test data: Segment messages as the ingestion API hands them to the log, and profiles.</summary>
public static class Some
{
    public const string Workspace = "ws_shop";
    public const string OtherWorkspace = "ws_other_shop";

    /// <summary>Where the simulated clock starts; whole milliseconds, as the log stores them.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    private static long _ids;

    public static string MessageId() => "msg_" + Interlocked.Increment(ref _ids).ToString(CultureInfo.InvariantCulture);

    public static EventToAppend Track(
        string? userId = null,
        string? anonymousId = null,
        string? messageId = null,
        string name = "Product Viewed",
        string workspace = Workspace,
        KeyKind key = KeyKind.Browser,
        DateTimeOffset? at = null,
        JsonObject? properties = null)
    {
        var body = Message("track", userId, anonymousId, messageId, at);
        body["event"] = name;
        body["properties"] = properties ?? new JsonObject { ["product_id"] = "sku_1", ["price"] = 18.99 };
        return Append(body, workspace, key, at);
    }

    public static EventToAppend Identify(
        string? userId = null,
        string? anonymousId = null,
        string? email = null,
        string? name = null,
        string? messageId = null,
        string workspace = Workspace,
        KeyKind key = KeyKind.Server,
        DateTimeOffset? at = null)
    {
        var body = Message("identify", userId, anonymousId, messageId, at);
        var traits = new JsonObject();
        if (email is not null)
            traits["email"] = email;
        if (name is not null)
            traits["name"] = name;
        body["traits"] = traits;
        return Append(body, workspace, key, at);
    }

    public static EventToAppend Alias(string userId, string previousId, string workspace = Workspace, KeyKind key = KeyKind.Server, DateTimeOffset? at = null)
    {
        var body = Message("alias", userId, null, null, at);
        body["previousId"] = previousId;
        return Append(body, workspace, key, at);
    }

    public static Profile Profile(
        string? id = null,
        string workspace = Workspace,
        string? userId = null,
        string? email = null,
        string? name = null,
        DateTimeOffset? lastSeen = null)
    {
        var identities = new List<IdentityKey>();
        if (userId is not null)
            identities.Add(new IdentityKey(IdentityKind.UserId, userId));
        if (email is not null)
            identities.Add(new IdentityKey(IdentityKind.Email, email));
        var seen = lastSeen ?? Start;
        var profile = Core.Profiles.Profile.Empty(id ?? "prf_" + Guid.CreateVersion7().ToString("N"), workspace) with
        {
            Identities = [.. identities],
            Computed = new ComputedTraits { FirstSeen = seen.AddDays(-30), LastSeen = seen, EventCount = 7, OrderCount = 2, TotalRevenue = 84.50m, Currency = "EUR" },
            TimeZone = "Europe/Berlin",
        };
        return name is null ? profile : profile with { Traits = profile.Traits.Add("name", JsonSerializer.SerializeToElement(name)) };
    }

    private static JsonObject Message(string type, string? userId, string? anonymousId, string? messageId, DateTimeOffset? at)
    {
        var body = new JsonObject
        {
            ["type"] = type,
            ["messageId"] = messageId ?? MessageId(),
            ["timestamp"] = (at ?? Start).AddSeconds(-3).ToString("O", CultureInfo.InvariantCulture),
            ["context"] = new JsonObject { ["library"] = new JsonObject { ["name"] = "analytics.js", ["version"] = "5.2.0" } },
        };
        if (userId is not null)
            body["userId"] = userId;
        if (anonymousId is not null)
            body["anonymousId"] = anonymousId;
        return body;
    }

    private static EventToAppend Append(JsonObject body, string workspace, KeyKind key, DateTimeOffset? at)
    {
        var json = body.ToJsonString();
        var element = JsonDocument.Parse(json).RootElement.Clone();
        var parsed = MessageParser.Parse(element, "", null, at ?? Start, null, MessageId);
        var message = parsed.Message
            ?? throw new InvalidOperationException("Test message is invalid: " + string.Join("; ", parsed.Errors.Select(e => $"{e.Field} {e.Message}")));
        return new EventToAppend(workspace, message, key, json, DefaultRegion: "DE");
    }
}
