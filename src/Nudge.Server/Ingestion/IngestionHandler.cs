using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Nudge.Core.Ingestion;
using Nudge.Server.Hosting;
using Nudge.Storage.Events;
using Nudge.Storage.Keys;

namespace Nudge.Server.Ingestion;

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

    private static (List<(IncomingMessage Message, EventBody Json)> Messages, string? TooLarge, Dictionary<string, string[]> Errors) Parse(
        JsonElement root, MessageType? impliedType, DateTimeOffset receivedAt)
    {
        var messages = new List<(IncomingMessage, EventBody)>();
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
            var raw = JsonMarshal.GetRawUtf8Value(element);
            if (raw.Length > RequestBody.MaxEventBytes)
                return (messages, path.Length == 0 ? "body" : path, errors);

            var result = MessageParser.Parse(element, path, impliedType, receivedAt, batchSentAt, static () => Guid.NewGuid().ToString());
            if (result.Message is { } message)
                messages.Add((message, new EventBody(raw.ToArray())));
            foreach (var error in result.Errors)
                errors[error.Field] = errors.TryGetValue(error.Field, out var existing) ? [.. existing, error.Message] : [error.Message];
        }

        return (messages, null, errors);
    }
}
