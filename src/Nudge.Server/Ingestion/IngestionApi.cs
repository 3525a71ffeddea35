using System.Text.Json;
using Nudge.Core.Ingestion;
using Nudge.Server.Hosting;
using Nudge.Storage.Events;
using Nudge.Storage.Keys;
using Microsoft.Extensions.Options;

namespace Nudge.Server.Ingestion;

/// <summary>
/// The Segment HTTP tracking API. A batch is accepted or rejected as a whole: when any message is invalid,
/// nothing is stored and the problem details list every invalid field by batch index (ADR 0004).
/// A 200 means every message is in the event log, on disk.
/// </summary>
public static class IngestionApi
{
    public static IEndpointRouteBuilder MapIngestionApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("Tracking API").RequireCors(IngestionCors.Policy).RequireRateLimiting(IngestionRateLimits.Policy);
        Describe<TrackingBatch>(v1.MapPost("/batch", (HttpContext http, IngestionHandler handler) => handler.HandleAsync(http, null)), "Batch");
        foreach (var type in Enum.GetValues<MessageType>())
        {
            var name = type.ToString();
            Describe<TrackingMessage>(
                v1.MapPost("/" + name.ToLowerInvariant(), (HttpContext http, IngestionHandler handler) => handler.HandleAsync(http, type)),
                name);
        }

        v1.MapGet("/projects/{writeKey}/settings", AnalyticsSettings.GetAsync).WithName("AnalyticsJsSettings")
            .WithSummary("The settings document analytics.js loads at start")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static void Describe<TBody>(RouteHandlerBuilder endpoint, string name) where TBody : notnull =>
        endpoint.WithName(name)
            .WithSummary(name == "Batch" ? "Send a batch of messages" : $"Send one {name.ToLowerInvariant()} message")
            // Any content type: trackers send JSON as text/plain (analytics.js) or form-encoded gzip (RudderStack).
            .Accepts<TBody>("application/json", "text/plain", "*/*")
            .Produces<IngestionReply>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}

/// <summary>Validates and logs one tracking request.</summary>
public sealed class IngestionHandler(WriteKeys writeKeys, EventLog log, TimeProvider time, IOptions<NudgeOptions> options)
{
    public async Task<IResult> HandleAsync(HttpContext http, MessageType? impliedType)
    {
        var ct = http.RequestAborted;
        var receivedAt = time.GetUtcNow();
        if (await RequestBody.ReadAsync(http.Request, ct) is not { } body)
            return Problems.TooLarge("body", $"the request is larger than {RequestBody.MaxBatchBytes / 1024} KB; send smaller batches");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["body"] = [$"is not valid JSON: {ex.Message}"] });
        }

        using (document)
        {
            var root = document.RootElement;
            var secret = WriteKeys.FromAuthorization(http.Request)
                ?? (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("writeKey", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null);
            if (secret is null)
                return Problems.Unauthorized("send the write key as the Basic-auth user name or as writeKey in the body");
            if (await writeKeys.FindAsync(secret, ct) is not { } key)
                return Problems.Unauthorized("unknown write key");

            var (messages, tooLarge, errors) = Parse(root, impliedType, receivedAt);
            if (tooLarge is not null)
                return Problems.TooLarge(tooLarge, $"an event may be at most {RequestBody.MaxEventBytes / 1024} KB; nothing was stored");
            if (errors.Count > 0)
                return Problems.Invalid(errors);

            var region = key.DefaultRegion ?? options.Value.DefaultRegion;
            var kind = key.Key.Kind == ApiKeyKind.ServerWrite ? KeyKind.Server : KeyKind.Browser;
            var toAppend = messages.Select(m => new EventToAppend(key.WorkspaceId, m.Message, kind, m.Json, region)).ToList();
            var outcomes = await log.AppendAsync(toAppend, ct);
            var duplicates = outcomes.Count(o => o.Duplicate);
            return TypedResults.Ok(new IngestionReply(true, outcomes.Length - duplicates, duplicates));
        }
    }

    private static (List<(IncomingMessage Message, string Json)> Messages, string? TooLarge, Dictionary<string, string[]> Errors) Parse(
        JsonElement root, MessageType? impliedType, DateTimeOffset receivedAt)
    {
        var messages = new List<(IncomingMessage, string)>();
        var errors = new Dictionary<string, string[]>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["must be a JSON object"];
            return (messages, null, errors);
        }

        IEnumerable<(JsonElement Element, string Path)> items;
        DateTimeOffset? batchSentAt = null;
        if (impliedType is null)
        {
            if (!root.TryGetProperty("batch", out var batch) || batch.ValueKind != JsonValueKind.Array)
            {
                errors["batch"] = ["is required and must be an array of messages"];
                return (messages, null, errors);
            }
            if (root.TryGetProperty("sentAt", out var sentAt) && sentAt.ValueKind == JsonValueKind.String
                && MessageParser.TryParseTime(sentAt.GetString()!, out var parsed))
            {
                batchSentAt = parsed;
            }
            items = batch.EnumerateArray().Select((e, i) => (e, $"batch[{i}]"));
        }
        else
        {
            items = [(root, "")];
        }

        foreach (var (element, path) in items)
        {
            var json = element.GetRawText();
            if (json.Length > RequestBody.MaxEventBytes && System.Text.Encoding.UTF8.GetByteCount(json) > RequestBody.MaxEventBytes)
                return (messages, path.Length == 0 ? "body" : path, errors);

            var result = MessageParser.Parse(element, path, impliedType, receivedAt, batchSentAt, static () => Guid.NewGuid().ToString());
            if (result.Message is { } message)
                messages.Add((message, json));
            foreach (var error in result.Errors)
                errors[error.Field] = errors.TryGetValue(error.Field, out var existing) ? [.. existing, error.Message] : [error.Message];
        }

        return (messages, null, errors);
    }
}

/// <summary>The reply to an accepted tracking request; <c>success</c> is what Segment clients look for.</summary>
public sealed record IngestionReply(bool Success, int Accepted, int Duplicates);
