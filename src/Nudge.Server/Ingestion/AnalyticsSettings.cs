namespace Nudge.Server.Ingestion;

/// <summary>
/// The settings document analytics.js (analytics-next) loads from the CDN at start. Served here, it points
/// the browser tracker's "Segment.io" destination at this server, so pages only change the CDN host.
/// </summary>
internal static class AnalyticsSettings
{
    public static async Task<IResult> GetAsync(string writeKey, HttpRequest request, WriteKeys keys, CancellationToken ct)
    {
        if (await keys.FindAsync(writeKey, ct) is null)
            return TypedResults.Problem(detail: "unknown write key", statusCode: StatusCodes.Status404NotFound, title: "Not found");

        var apiHost = $"{request.Host}/v1";
        return TypedResults.Json(new Dictionary<string, object>
        {
            ["integrations"] = new Dictionary<string, object>
            {
                ["Segment.io"] = new Dictionary<string, object>
                {
                    ["apiKey"] = writeKey,
                    ["apiHost"] = apiHost,
                    ["protocol"] = request.Scheme,
                    ["unbundledIntegrations"] = Array.Empty<string>(),
                    ["addBundledMetadata"] = true,
                    ["maybeBundledConfigIds"] = new Dictionary<string, object>(),
                    ["versionSettings"] = new Dictionary<string, object> { ["version"] = "4.4.7", ["componentTypes"] = new[] { "browser" } },
                },
            },
            ["plan"] = new Dictionary<string, object>
            {
                ["track"] = new Dictionary<string, object> { ["__default"] = new Dictionary<string, object> { ["enabled"] = true, ["integrations"] = new Dictionary<string, object>() } },
                ["identify"] = new Dictionary<string, object> { ["__default"] = new Dictionary<string, object> { ["enabled"] = true } },
                ["group"] = new Dictionary<string, object> { ["__default"] = new Dictionary<string, object> { ["enabled"] = true } },
            },
            ["edgeFunction"] = new Dictionary<string, object>(),
            ["analyticsNextEnabled"] = true,
            ["middlewareSettings"] = new Dictionary<string, object>(),
            ["enabledMiddleware"] = new Dictionary<string, object>(),
            ["metrics"] = new Dictionary<string, object> { ["sampleRate"] = 0 },
            ["legacyVideoPluginsEnabled"] = false,
            ["remotePlugins"] = Array.Empty<object>(),
        });
    }
}
