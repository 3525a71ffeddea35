using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Nudge.Core.Catalog;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;
using Nudge.Server.Hosting;
using Nudge.Server.Ingestion;
using Nudge.Storage.Catalog;
using Nudge.Storage.Events;
using Nudge.Storage.Keys;

namespace Nudge.Server.Catalog;

/// <summary>
/// "Tell me when it is back": the shop's product page posts here with its write key (as the tracking API takes it).
/// The request is a <c>Back In Stock Requested</c> event, so the person is found (or created) the way any tracked
/// event finds them, the request shows in their timeline, and it is durable before the answer.
/// </summary>
internal static class BackInStockApi
{
    public const string RatePolicy = "back-in-stock";
    public const string CorsPolicy = "back-in-stock";

    private const int MaxBodyBytes = 8 * 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/back-in-stock", RequestAsync)
            .WithTags("Catalog").RequireCors(CorsPolicy).RequireRateLimiting(RatePolicy)
            .WithName("BackInStockRequest")
            .WithSummary("Ask to be told when a product (or variant) is back in stock (write key as Basic-auth user name, or writeKey in the body)")
            .WithDescription("The body names productId (and variantId) and the person: email, userId or anonymousId. 202 once the request is stored.")
            .Accepts<BackInStockRequestBody>("application/json", "text/plain")
            .Produces<BackInStockReply>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    private static async Task<IResult> RequestAsync(
        HttpContext http, WriteKeys keys, EventLog log, CatalogStore catalog, TimeProvider time, IOptions<NudgeOptions> options)
    {
        var ct = http.RequestAborted;
        var request = await ShopPageRequest.ReadAsync(http.Request, keys, MaxBodyBytes, "a back-in-stock request", ct);
        if (request.Problem is not null)
            return request.Problem;
        var (body, key) = (request.Body!, request.Key!);

        var errors = new Dictionary<string, string[]>();
        var productId = Text(body, "productId", errors, required: true);
        var variantId = Text(body, "variantId", errors, required: false);
        var emailText = Text(body, "email", errors, required: false);
        var email = ContactNormalizer.Email(emailText);
        if (emailText is not null && email is null)
            errors["email"] = ["is not a valid email address"];
        var userId = Text(body, "userId", errors, required: false);
        var anonymousId = Text(body, "anonymousId", errors, required: false);
        if (emailText is null && userId is null && anonymousId is null && !errors.ContainsKey("userId") && !errors.ContainsKey("anonymousId"))
            errors["email"] = ["name the person: email, userId or anonymousId"];
        if (errors.Count > 0)
            return Problems.Invalid(errors);

        if (await catalog.GetAsync(key.WorkspaceId, productId!, ct) is not { } product)
            return NotFound("productId", $"no product '{productId}' in the catalog");
        if (variantId is not null && product.Variants.All(v => v.Id != variantId))
            return NotFound("variantId", $"product '{productId}' has no variant '{variantId}'");

        var now = time.GetUtcNow();
        var properties = new JsonObject { ["product_id"] = productId, ["variant_id"] = variantId, ["name"] = product.Title };
        var context = new JsonObject
        {
            ["ip"] = http.Connection.RemoteIpAddress?.ToString(),
            ["library"] = new JsonObject { ["name"] = "nudge", ["version"] = "back-in-stock" },
        };
        if (email is not null)
            context["traits"] = new JsonObject { ["email"] = email };
        var message = new JsonObject
        {
            ["type"] = "track",
            ["event"] = CatalogEvents.BackInStockRequested,
            ["messageId"] = "nudge-bis-" + Guid.CreateVersion7().ToString("N"),
            ["timestamp"] = now.ToString("O"),
            ["properties"] = properties,
            ["context"] = context,
        };
        if (anonymousId is not null)
            message["anonymousId"] = anonymousId;
        if (userId is not null)
            message["userId"] = userId;
        var json = message.ToJsonString();
        // Built here rather than parsed as a tracking call: a person named by email alone is fine (the tracking API
        // wants a userId or anonymousId), and identity resolution finds them by context.traits.email.
        var incoming = new IncomingMessage
        {
            Type = MessageType.Track,
            MessageId = (string)message["messageId"]!,
            UserId = userId,
            AnonymousId = anonymousId,
            Name = CatalogEvents.BackInStockRequested,
            Timestamp = now,
            ReceivedAt = now,
            Body = JsonSerializer.Deserialize<JsonElement>(json),
        };

        var kind = key.Key.Kind == ApiKeyKind.ServerWrite ? KeyKind.Server : KeyKind.Browser;
        await log.AppendAsync([new EventToAppend(key.WorkspaceId, incoming, kind, json, key.DefaultRegion ?? options.Value.DefaultRegion)], ct);
        return TypedResults.Accepted((string?)null, new BackInStockReply(productId!, variantId, "requested"));
    }

    private static string? Text(JsonObject body, string name, Dictionary<string, string[]> errors, bool required)
    {
        var node = body[name];
        if (node is null)
        {
            if (required)
                errors[name] = ["is required"];
            return null;
        }
        var text = node is JsonValue value && value.TryGetValue<string>(out var s) ? s.Trim()
            : node is JsonValue number && number.GetValueKind() == JsonValueKind.Number ? number.ToJsonString()
            : null;
        if (string.IsNullOrEmpty(text) || text.Length > CatalogValidation.MaxId)
        {
            errors[name] = [$"must be a non-empty string of at most {CatalogValidation.MaxId} characters"];
            return null;
        }
        return text;
    }

    private static IResult NotFound(string field, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found",
            extensions: new Dictionary<string, object?> { ["field"] = field });
}

/// <summary>A back-in-stock request from a product page.</summary>
/// <param name="ProductId">The product (its catalog id).</param>
/// <param name="VariantId">The variant, when the page shows one (null: any variant).</param>
/// <param name="Email">The address to tell.</param>
/// <param name="UserId">The shop's customer id, for a signed-in customer.</param>
/// <param name="AnonymousId">The tracker's anonymous id, to join the visitor's profile.</param>
/// <param name="WriteKey">The write key, when not sent as Basic auth.</param>
public sealed record BackInStockRequestBody(string ProductId, string? VariantId = null, string? Email = null, string? UserId = null, string? AnonymousId = null, string? WriteKey = null);

/// <summary>The answer to a back-in-stock request.</summary>
/// <param name="ProductId">The product.</param>
/// <param name="VariantId">The variant (null: any).</param>
/// <param name="Status"><c>requested</c>.</param>
public sealed record BackInStockReply(string ProductId, string? VariantId, string Status);
