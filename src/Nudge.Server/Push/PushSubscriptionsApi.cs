using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Nudge.Channels.Push;
using Nudge.Core.Consent;
using Nudge.Core.Ingestion;
using Nudge.Engine.Consent;
using Nudge.Server.Hosting;
using Nudge.Server.Ingestion;
using Nudge.Storage.Events;
using Nudge.Storage.Keys;
using Nudge.Storage.Push;

namespace Nudge.Server.Push;

/// <summary>
/// The browser side of Web Push: the subscribe script posts a new subscription here with the shop's write key (as the
/// tracking API takes it), and deletes it when the visitor turns notifications off. The subscription joins the
/// visitor's profile through a <c>Push Subscribed</c> event, resolved like any tracked event (ADR 0005 rules apply
/// to browser keys), and a new one records push consent on that profile.
/// </summary>
internal static class PushSubscriptionsApi
{
    /// <summary>Where subscriptions appear in the consent audit trail.</summary>
    public const string ConsentSource = "push subscription";

    public const string SubscribedEvent = "Push Subscribed";
    public const string UnsubscribedEvent = "Push Unsubscribed";

    private const int MaxBodyBytes = 16 * 1024;
    private const int MaxUserAgent = 512;

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Web Push").RequireCors(PushSetup.CorsPolicy).RequireRateLimiting(PushSetup.RatePolicy);
        group.MapPost("/api/push/subscriptions", SubscribeAsync)
            .WithName("PushSubscribe")
            .WithSummary("Store a browser's push subscription (write key as Basic-auth user name, or writeKey in the body)")
            .WithDescription("The body is the browser's PushSubscription.toJSON() under subscription, and the visitor's anonymousId or userId. " +
                "201 for a new subscription, 200 for one Nudge already had (keys and person updated).")
            .Accepts<PushSubscribeRequest>("application/json", "text/plain")
            .Produces<PushSubscribeReply>(StatusCodes.Status201Created).Produces<PushSubscribeReply>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapDelete("/api/push/subscriptions", UnsubscribeAsync)
            .WithName("PushUnsubscribe")
            .WithSummary("Remove a browser's push subscription by its endpoint (write key as Basic-auth user name)")
            .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/v1/push/{writeKey}/vapid-public-key", PublicKeyAsync)
            .WithName("PushVapidPublicKey")
            .WithSummary("The workspace's VAPID public key, the applicationServerKey browsers subscribe with")
            .Produces<VapidPublicKeyReply>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> PublicKeyAsync(string writeKey, WriteKeys keys, WorkspaceVapidKeys vapid, CancellationToken ct)
    {
        if (await keys.FindAsync(writeKey, ct) is not { } key)
            return TypedResults.Problem(detail: "unknown write key", statusCode: StatusCodes.Status404NotFound, title: "Not found");
        return TypedResults.Ok(new VapidPublicKeyReply((await vapid.GetAsync(key.WorkspaceId, ct)).PublicKeyText));
    }

    private static async Task<IResult> SubscribeAsync(
        HttpContext http, WriteKeys keys, EventLog log, PushSubscriptionStore store, TimeProvider time, IOptions<NudgeOptions> options)
    {
        var ct = http.RequestAborted;
        var request = await ShopPageRequest.ReadAsync(http.Request, keys, MaxBodyBytes, "a subscription request", ct);
        if (request.Problem is not null)
            return request.Problem;
        var (body, key) = (request.Body!, request.Key!);

        var errors = new Dictionary<string, string[]>();
        var subscription = ReadSubscription(body["subscription"], errors);
        var now = time.GetUtcNow();
        var userAgent = http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, MaxUserAgent)] : null;
        var ip = http.Connection.RemoteIpAddress?.ToString();

        // The person is found the way the tracking API finds them: a track event with the ids the page sent.
        var message = new JsonObject
        {
            ["type"] = "track",
            ["event"] = SubscribedEvent,
            ["messageId"] = "nudge-push-" + Guid.CreateVersion7().ToString("N"),
            ["timestamp"] = now.ToString("O"),
            ["properties"] = new JsonObject { ["push_service"] = subscription is null ? null : new Uri(subscription.Value.Endpoint).Host },
            ["context"] = new JsonObject { ["ip"] = ip, ["userAgent"] = userAgent, ["library"] = new JsonObject { ["name"] = "nudge", ["version"] = "push" } },
        };
        if (body["anonymousId"] is { } anonymousId)
            message["anonymousId"] = anonymousId.DeepClone();
        if (body["userId"] is { } userId)
            message["userId"] = userId.DeepClone();
        var json = message.ToJsonString();
        using var document = JsonDocument.Parse(json);
        var read = MessageParser.Parse(document.RootElement, "", MessageType.Track, now, null, static () => Guid.NewGuid().ToString());
        foreach (var error in read.Errors)
            errors[error.Field] = errors.TryGetValue(error.Field, out var existing) ? [.. existing, error.Message] : [error.Message];
        if (errors.Count > 0 || read.Message is null || subscription is null)
            return Problems.Invalid(errors);

        var kind = key.Key.Kind == ApiKeyKind.ServerWrite ? KeyKind.Server : KeyKind.Browser;
        var region = key.DefaultRegion ?? options.Value.DefaultRegion;
        var outcome = (await log.AppendAsync([new EventToAppend(key.WorkspaceId, read.Message, kind, json, region)], ct))[0];

        var (endpoint, p256dh, auth) = subscription.Value;
        var isNew = await store.SaveAsync(new PushSubscription(key.WorkspaceId, outcome.ProfileId, endpoint, p256dh, auth, userAgent, now), ct);
        if (isNew)
        {
            // Granting the browser's notification permission is the person's consent to push, with its evidence.
            var change = new ConsentChangeRequest(ConsentChannels.Push, true, ConsentSource, "browser notification permission", ip, userAgent);
            await log.AppendAsync([ConsentEvents.ConsentChanged(key.WorkspaceId, outcome.ProfileId, change, now)], ct);
        }
        var reply = new PushSubscribeReply(endpoint, isNew ? "subscribed" : "updated");
        return isNew ? TypedResults.Created((string?)null, reply) : TypedResults.Ok(reply);
    }

    private static async Task<IResult> UnsubscribeAsync(
        HttpContext http, string? endpoint, WriteKeys keys, EventLog log, PushSubscriptionStore store, TimeProvider time)
    {
        var ct = http.RequestAborted;
        if (WriteKeys.FromAuthorization(http.Request) is not { } secret)
            return Problems.Unauthorized("send the write key as the Basic-auth user name");
        if (await keys.FindAsync(secret, ct) is not { } key)
            return Problems.Unauthorized("unknown write key");
        if (SuppressionAddress.Normalize(ConsentChannels.Push, endpoint, null) is not { } normalized)
            return Problems.Invalid(new Dictionary<string, string[]> { ["endpoint"] = ["is required: the subscription's endpoint URL"] });

        if (await store.GetAsync(key.WorkspaceId, normalized, ct) is not { } existing || !await store.RemoveAsync(key.WorkspaceId, normalized, ct))
        {
            return TypedResults.Problem(detail: "no subscription with this endpoint", statusCode: StatusCodes.Status404NotFound, title: "Not found",
                extensions: new Dictionary<string, object?> { ["field"] = "endpoint" });
        }
        await log.AppendAsync([PushEvents.Unsubscribed(key.WorkspaceId, existing, "browser", time.GetUtcNow())], ct);
        return TypedResults.NoContent();
    }

    /// <summary>The endpoint (https) and keys of a browser's <c>PushSubscription.toJSON()</c>, or null with the errors noted.</summary>
    private static (string Endpoint, string P256dh, string Auth)? ReadSubscription(JsonNode? node, Dictionary<string, string[]> errors)
    {
        if (node is not JsonObject subscription)
        {
            errors["subscription"] = ["is required: the browser's PushSubscription.toJSON() (endpoint and keys)"];
            return null;
        }

        var endpointText = Text(subscription["endpoint"]);
        var endpoint = SuppressionAddress.Normalize(ConsentChannels.Push, endpointText, null);
        if (endpoint is null || !endpoint.StartsWith("https://", StringComparison.Ordinal))
        {
            errors["subscription.endpoint"] = [endpointText is null ? "is required" : $"must be an absolute https URL of at most {SuppressionAddress.MaxEndpointLength} characters"];
            endpoint = null;
        }

        var keys = subscription["keys"] as JsonObject;
        var p256dh = Key(Text(keys?["p256dh"]), WebPushEncryption.PublicKeyLength);
        if (p256dh is null || !WebPushEncryption.IsValidPublicKey(p256dh))
        {
            errors["subscription.keys.p256dh"] = ["must be the browser's P-256 public key: 65 bytes (uncompressed point) in base64url"];
            p256dh = null;
        }
        var auth = Key(Text(keys?["auth"]), WebPushEncryption.AuthSecretLength);
        if (auth is null)
            errors["subscription.keys.auth"] = ["must be the browser's 16-byte auth secret in base64url"];

        return endpoint is null || p256dh is null || auth is null ? null : (endpoint, Base64Url.EncodeToString(p256dh), Base64Url.EncodeToString(auth));
    }

    /// <summary>Decodes base64url (browsers' form; padded or plain base64 is read too) of exactly <paramref name="length"/> bytes.</summary>
    private static byte[]? Key(string? text, int length)
    {
        if (text is null)
            return null;
        var url = text.Trim().TrimEnd('=').Replace('+', '-').Replace('/', '_');
        if (!Base64Url.IsValid(url, out var decodedLength) || decodedLength != length)
            return null;
        return Base64Url.DecodeFromChars(url);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

/// <summary>What the subscribe script posts.</summary>
/// <param name="Subscription">The browser's <c>PushSubscription.toJSON()</c>.</param>
/// <param name="AnonymousId">The visitor's anonymous id (analytics.js's), when known.</param>
/// <param name="UserId">The shop's customer id, when the visitor is logged in.</param>
/// <param name="WriteKey">The write key, when not sent as Basic auth.</param>
public sealed record PushSubscribeRequest(BrowserPushSubscription Subscription, string? AnonymousId, string? UserId, string? WriteKey);

/// <summary>A browser's push subscription as <c>PushSubscription.toJSON()</c> gives it.</summary>
/// <param name="Endpoint">The push service URL (https).</param>
/// <param name="Keys">The browser's keys.</param>
public sealed record BrowserPushSubscription(string Endpoint, BrowserPushKeys Keys);

/// <summary>The browser's keys of a subscription, base64url.</summary>
/// <param name="P256dh">P-256 public key (65 bytes).</param>
/// <param name="Auth">Authentication secret (16 bytes).</param>
public sealed record BrowserPushKeys(string P256dh, string Auth);

/// <summary>The answer to a subscription.</summary>
/// <param name="Endpoint">The subscription's endpoint.</param>
/// <param name="Status"><c>subscribed</c> (new) or <c>updated</c> (known endpoint, keys and person refreshed).</param>
public sealed record PushSubscribeReply(string Endpoint, string Status);

/// <summary>The workspace's VAPID public key.</summary>
/// <param name="PublicKey">base64url of the uncompressed P-256 point: pass it (decoded) as applicationServerKey.</param>
public sealed record VapidPublicKeyReply(string PublicKey);
