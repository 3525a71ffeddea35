using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Nudge.Testing;

namespace Nudge.Server.Tests.Support;

/// <summary>
/// A local stand-in for Shopify's Admin REST API for discounts, on Kestrel on a free port: price rules, the batch
/// discount codes job (completed on its first status request, as a small batch is), and the job's per-code result
/// with Shopify's error shape (<c>"errors": { "code": ["must be unique"] }</c>). Checks the access token.
/// </summary>
public sealed class FakeShopify : IAsyncDisposable
{
    public const string Token = "shpat_test_token";

    private readonly WebApplication _app;
    private long _ids = 1000;

    private FakeShopify(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>Price rules created, by id, as posted.</summary>
    public ConcurrentDictionary<string, JsonObject> PriceRules { get; } = new();

    /// <summary>Codes the shop has, per price rule id.</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> Codes { get; } = new();

    /// <summary>Codes the shop refuses as invalid (to test partial failures).</summary>
    public ConcurrentDictionary<string, byte> Refuse { get; } = new(StringComparer.OrdinalIgnoreCase);

    private readonly ConcurrentDictionary<string, JsonArray> _batches = new();

    public static async Task<FakeShopify> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var app = builder.Build();
        var fake = new FakeShopify(app, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"));
        fake.Map();
        await app.StartAsync();
        return fake;
    }

    private void Map()
    {
        var api = _app.MapGroup("/admin/api/{version}").AddEndpointFilter(async (context, next) =>
            context.HttpContext.Request.Headers["X-Shopify-Access-Token"] == Token
                ? await next(context)
                : Results.Json(new { errors = "[API] Invalid API key or access token (unrecognized login or wrong password)" }, statusCode: 401));

        api.MapPost("/price_rules.json", async (HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!["price_rule"]!.AsObject();
            var id = Interlocked.Increment(ref _ids).ToString(CultureInfo.InvariantCulture);
            PriceRules[id] = body;
            Codes[id] = new(StringComparer.OrdinalIgnoreCase);
            var answer = (JsonObject)body.DeepClone();
            answer["id"] = long.Parse(id, CultureInfo.InvariantCulture);
            return Results.Json(new JsonObject { ["price_rule"] = answer }, statusCode: 201);
        });

        api.MapPost("/price_rules/{rule}/batch.json", async (string rule, HttpRequest request) =>
        {
            if (!Codes.TryGetValue(rule, out var codes))
                return Results.Json(new { errors = "Not Found" }, statusCode: 404);
            var asked = (await JsonNode.ParseAsync(request.Body))!["discount_codes"]!.AsArray();
            if (asked.Count > 100)
                return Results.Json(new { errors = new { discount_codes = new[] { "must have at most 100 codes" } } }, statusCode: 422);
            var results = new JsonArray();
            foreach (var item in asked)
            {
                var code = (string)item!["code"]!;
                var errors = new JsonObject();
                if (Refuse.ContainsKey(code))
                    errors["code"] = new JsonArray("is invalid");
                else if (!codes.TryAdd(code, 0))
                    errors["code"] = new JsonArray("must be unique");
                results.Add(new JsonObject { ["id"] = errors.Count == 0 ? Interlocked.Increment(ref _ids) : null, ["code"] = code, ["errors"] = errors });
            }
            var job = Interlocked.Increment(ref _ids).ToString(CultureInfo.InvariantCulture);
            _batches[job] = results;
            return Results.Json(new JsonObject
            {
                ["discount_code_creation"] = new JsonObject { ["id"] = long.Parse(job, CultureInfo.InvariantCulture), ["price_rule_id"] = rule, ["status"] = "queued", ["codes_count"] = asked.Count },
            }, statusCode: 201);
        });

        api.MapGet("/price_rules/{rule}/batch/{job}.json", (string rule, string job) => _batches.TryGetValue(job, out var results)
            ? Results.Json(new JsonObject
            {
                ["discount_code_creation"] = new JsonObject
                {
                    ["id"] = long.Parse(job, CultureInfo.InvariantCulture), ["price_rule_id"] = rule, ["status"] = "completed",
                    ["imported_count"] = results.Count(r => r!["errors"]!.AsObject().Count == 0),
                    ["failed_count"] = results.Count(r => r!["errors"]!.AsObject().Count > 0),
                },
            })
            : Results.Json(new { errors = "Not Found" }, statusCode: 404));

        api.MapGet("/price_rules/{rule}/batch/{job}/discount_codes.json", (string job) => _batches.TryGetValue(job, out var results)
            ? Results.Json(new JsonObject { ["discount_codes"] = results.DeepClone() })
            : Results.Json(new { errors = "Not Found" }, statusCode: 404));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
