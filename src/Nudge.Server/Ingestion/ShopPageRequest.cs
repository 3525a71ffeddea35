using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nudge.Server.Ingestion;

/// <summary>
/// A small JSON request a shop page posts with its write key (as the Basic-auth user name, or <c>writeKey</c> in the
/// body, as the tracking API takes it): the body as an object and the key, or the problem to answer with.
/// </summary>
internal sealed record ShopPageRequest(JsonObject? Body, WriteKey? Key, IResult? Problem)
{
    /// <summary>Reads the body (at most <paramref name="maxBytes"/>) and finds its write key.</summary>
    public static async Task<ShopPageRequest> ReadAsync(HttpRequest request, WriteKeys keys, int maxBytes, string what, CancellationToken ct)
    {
        if (await RequestBody.ReadAsync(request, ct) is not { } bytes || bytes.Length > maxBytes)
            return Refused(Problems.TooLarge("body", $"{what} may be at most {maxBytes / 1024} KB"));
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(bytes.Span);
        }
        catch (JsonException ex)
        {
            return Refused(Problems.Invalid(new Dictionary<string, string[]> { ["body"] = [$"is not valid JSON: {ex.Message}"] }));
        }
        if (parsed is not JsonObject body)
            return Refused(Problems.Invalid(new Dictionary<string, string[]> { ["body"] = ["must be a JSON object"] }));

        var secret = WriteKeys.FromAuthorization(request) ?? (body["writeKey"] is JsonValue k && k.TryGetValue<string>(out var s) ? s : null);
        if (secret is null)
            return Refused(Problems.Unauthorized("send the write key as the Basic-auth user name or as writeKey in the body"));
        if (await keys.FindAsync(secret, ct) is not { } key)
            return Refused(Problems.Unauthorized("unknown write key"));
        return new ShopPageRequest(body, key, null);
    }

    private static ShopPageRequest Refused(IResult problem) => new(null, null, problem);
}
