using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Nudge.Core.Connectors;
using Nudge.Core.Coupons;
using Nudge.Storage.Connectors;
using Nudge.Storage.Coupons;

namespace Nudge.Server.Coupons;

/// <summary>
/// Shopify's Admin REST API for discounts: one price rule per pool (what the codes give, from when until when, how
/// often each may be used), and its codes created in batches of up to 100 with the batch discount codes endpoint,
/// which Shopify runs as a job; the adapter waits for the job and reads which codes it refused.
/// </summary>
/// <remarks>
/// Codes valid for N days after assignment cannot be expressed in a price rule (its end is one date for all codes):
/// Shopify accepts them until the pool's absolute end, and Nudge tracks each code's own expiry.
/// </remarks>
public sealed class ShopifyCoupons(HttpClient http, IOptions<ShopifyOptions> options, TimeProvider time) : IShopCoupons
{
    /// <summary>The most codes Shopify takes in one batch request.</summary>
    public const int BatchSize = 100;

    public ShopPlatform Platform => ShopPlatform.Shopify;

    public async Task<ShopPublishResult> PublishAsync(Connector connector, CouponPool pool, IReadOnlyList<string> codes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(codes);
        if (connector.AdminAccessToken is not { Length: > 0 } token)
            throw new ShopApiException($"connector '{connector.Id}' has no admin access token; Nudge cannot create codes in the shop without one");
        if (codes.Count > BatchSize)
            throw new ArgumentOutOfRangeException(nameof(codes), $"at most {BatchSize} codes per batch");

        var root = Root(connector);
        var priceRule = pool.ShopReference ?? await CreatePriceRuleAsync(root, token, pool, ct);
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        if (codes.Count == 0)
            return new ShopPublishResult(priceRule, [], failed);

        var batch = new JsonObject { ["discount_codes"] = new JsonArray([.. codes.Select(c => (JsonNode)new JsonObject { ["code"] = c })]) };
        var created = await SendAsync(HttpMethod.Post, new Uri(root, $"price_rules/{priceRule}/batch.json"), token, batch, ct);
        var job = created["discount_code_creation"]?["id"]?.ToString()
            ?? throw new ShopApiException("Shopify's answer to the batch request has no discount_code_creation id");

        var settings = options.Value;
        for (var attempt = 0; ; attempt++)
        {
            var status = await SendAsync(HttpMethod.Get, new Uri(root, $"price_rules/{priceRule}/batch/{job}.json"), token, null, ct);
            if ((string?)status["discount_code_creation"]?["status"] == "completed")
                break;
            if (attempt + 1 >= settings.BatchPollAttempts)
                throw new ShopApiException($"Shopify's batch job {job} did not complete in time; the codes will be sent again");
            await Task.Delay(settings.BatchPollInterval, time, ct);
        }

        var results = await SendAsync(HttpMethod.Get, new Uri(root, $"price_rules/{priceRule}/batch/{job}/discount_codes.json"), token, null, ct);
        var published = new List<string>();
        foreach (var item in results["discount_codes"]?.AsArray() ?? [])
        {
            var code = (string?)item?["code"];
            if (code is null)
                continue;
            var errors = item!["errors"] as JsonObject;
            var reasons = errors?.SelectMany(e => e.Value is JsonArray list ? list.Select(m => $"{e.Key} {m}") : [$"{e.Key} {e.Value}"]).ToList() ?? [];
            // A code the shop has already (an earlier push that was not recorded) is there: that counts as published.
            if (reasons.Count == 0 || reasons.All(r => r.Contains("unique", StringComparison.OrdinalIgnoreCase)))
                published.Add(code);
            else
                failed[code] = string.Join("; ", reasons);
        }
        foreach (var missing in codes.Where(c => !published.Contains(c, StringComparer.OrdinalIgnoreCase) && !failed.ContainsKey(c)))
            failed[missing] = "not in Shopify's batch result";
        return new ShopPublishResult(priceRule, published, failed);
    }

    private Uri Root(Connector connector)
    {
        var settings = options.Value;
        var baseUrl = settings.BaseUrl ?? new Uri($"https://{connector.ShopDomain}/");
        return new Uri(baseUrl, $"admin/api/{settings.ApiVersion}/");
    }

    private async Task<string> CreatePriceRuleAsync(Uri root, string token, CouponPool pool, CancellationToken ct)
    {
        var s = pool.Settings;
        var rule = new JsonObject
        {
            ["title"] = $"{s.Name} (Nudge {pool.Id})",
            ["target_type"] = s.Type == CouponType.FreeShipping ? "shipping_line" : "line_item",
            ["target_selection"] = "all",
            ["allocation_method"] = s.Type == CouponType.FreeShipping ? "each" : "across",
            ["value_type"] = s.Type == CouponType.Fixed ? "fixed_amount" : "percentage",
            ["value"] = "-" + (s.Type == CouponType.FreeShipping ? 100m : s.Amount ?? 0m).ToString("0.0#", CultureInfo.InvariantCulture),
            ["customer_selection"] = "all",
            ["starts_at"] = (s.Validity.From ?? pool.CreatedAt).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["ends_at"] = s.Validity.Until?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["usage_limit"] = s.UsageLimit,
        };
        var created = await SendAsync(HttpMethod.Post, new Uri(root, "price_rules.json"), token, new JsonObject { ["price_rule"] = rule }, ct);
        return created["price_rule"]?["id"]?.ToString() ?? throw new ShopApiException("Shopify's answer to the price rule request has no id");
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, Uri url, string token, JsonObject? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Add("X-Shopify-Access-Token", token);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.Timeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            throw new ShopApiException($"Shopify could not be reached at {url.Host}: {ex.Message}");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new ShopApiException($"Shopify answered {(int)response.StatusCode} to {method} {url.AbsolutePath}: " +
                    (text.Length > 300 ? text[..300] : text));
            }
            return JsonNode.Parse(text) as JsonObject ?? throw new ShopApiException($"Shopify's answer to {url.AbsolutePath} is not a JSON object");
        }
    }
}
