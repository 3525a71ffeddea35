using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Nudge.Core.Catalog;
using Nudge.Core.Ingestion;
using Nudge.Server.Admin;
using Nudge.Storage.Catalog;

namespace Nudge.Server.Catalog;

/// <summary>The product catalog: products with variants, search, bulk upserts, feeds, history and marketing attributes (ADR 0015).</summary>
public static class CatalogApi
{
    /// <summary>Products per bulk request.</summary>
    public const int MaxBulk = 1000;

    /// <summary>Largest page of search results.</summary>
    public const int MaxPage = 500;

    /// <summary>Largest bulk body; feeds have their own limit.</summary>
    private const long MaxBulkBytes = 16L * 1024 * 1024;

    public static RouteGroupBuilder MapCatalogApi(this RouteGroupBuilder api)
    {
        var catalog = api.MapGroup("/catalog").WithTags("Catalog");
        catalog.MapGet("/products", SearchAsync)
            .WithSummary("Search products: q (words in title, SKU or brand), category, brand, type, tag, inStock; pages in id order with after and limit")
            .Produces<CatalogPage>().ProducesValidationProblem();
        catalog.MapPost("/products", CreateAsync).WithSummary("Create a product (409 when the id exists; PUT replaces)")
            .Accepts<CatalogProduct>("application/json").Produces<CatalogProduct>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        catalog.MapPost("/products/bulk", BulkAsync)
            .WithSummary($"Create or replace up to {MaxBulk} products at once; unchanged products are not written. Nothing is stored when any product is invalid")
            .Accepts<BulkUpsertRequest>("application/json").Produces<UpsertSummary>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        catalog.MapGet("/products/{id}", GetAsync).WithSummary("A product");
        catalog.MapPut("/products/{id}", PutAsync).WithSummary("Create or replace a product")
            .Accepts<CatalogProduct>("application/json").Produces<CatalogProduct>().Produces<CatalogProduct>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        catalog.MapDelete("/products/{id}", DeleteAsync).WithSummary("Delete a product and its history");
        catalog.MapGet("/products/{id}/price-history", PriceHistoryAsync)
            .WithSummary("The product's (and its variants') price changes, oldest first; days limits it to the last days (with the price in effect at their start)");
        catalog.MapGet("/products/{id}/inventory-history", InventoryHistoryAsync)
            .WithSummary("The product's (and its variants') stock changes, oldest first; days as for price-history");
        catalog.MapGet("/products/{id}/marketing", MarketingAsync)
            .WithSummary("The product's effective marketing attributes and where each comes from (product, productType, default)");
        catalog.MapGet("/product-types", ProductTypesAsync).WithSummary("Product types with marketing attributes set");
        catalog.MapGet("/product-types/{type}", ProductTypeAsync).WithSummary("What is set on a product type, and its built-in review delay");
        catalog.MapPut("/product-types/{type}", SetProductTypeAsync)
            .WithSummary("Set a product type's marketing attributes (its products inherit what they do not set themselves)")
            .Accepts<MarketingAttributes>("application/json").Produces<ProductTypeView>().ProducesValidationProblem();
        catalog.MapDelete("/product-types/{type}", DeleteProductTypeAsync).WithSummary("Remove what is set on a product type");
        catalog.MapPost("/feeds", FeedAsync)
            .WithSummary("Import a product feed: CSV (header row), a JSON array (or {\"products\": [...]}) or NDJSON. " +
                "Bad rows are reported with line and reason, good rows imported; the same feed again changes nothing")
            .Accepts<string>("text/csv", "application/json", "application/x-ndjson", "text/plain", "multipart/form-data")
            .Produces<FeedResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return api;
    }

    private static async Task<IResult> SearchAsync(
        HttpContext http, string? q, string? category, string? brand, string? type, string? tag, bool? inStock, string? after, int? limit,
        CatalogStore store, CancellationToken ct)
    {
        if (limit is < 1 or > MaxPage)
            return Invalid("limit", $"must be between 1 and {MaxPage}", "Invalid query");
        if (q is { Length: > CatalogValidation.MaxText })
            return Invalid("q", $"is longer than {CatalogValidation.MaxText} characters", "Invalid query");
        var page = await store.SearchAsync(AdminAuth.WorkspaceOf(http), new CatalogQuery(q, category, brand, type, tag, inStock, after, limit ?? 50), ct);
        return TypedResults.Ok(page);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, CatalogStore store, CancellationToken ct)
    {
        var (product, problem) = await ReadProductAsync(http, null);
        if (product is null)
            return problem!;
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetAsync(workspace, product.Id, ct) is not null)
        {
            return TypedResults.Problem(detail: $"a product with id '{product.Id}' exists; PUT /api/catalog/products/{{id}} replaces it",
                statusCode: 409, title: "Product exists", extensions: new Dictionary<string, object?> { ["field"] = "id" });
        }
        await store.UpsertAsync(workspace, [product], ct);
        return TypedResults.Created($"/api/catalog/products/{Uri.EscapeDataString(product.Id)}", await store.GetAsync(workspace, product.Id, ct));
    }

    private static async Task<IResult> PutAsync(HttpContext http, string id, CatalogStore store, CancellationToken ct)
    {
        var (product, problem) = await ReadProductAsync(http, id);
        if (product is null)
            return problem!;
        var workspace = AdminAuth.WorkspaceOf(http);
        var result = await store.UpsertAsync(workspace, [product], ct);
        var stored = await store.GetAsync(workspace, product.Id, ct);
        return result.Created == 1
            ? TypedResults.Created($"/api/catalog/products/{Uri.EscapeDataString(product.Id)}", stored)
            : TypedResults.Ok(stored);
    }

    private static async Task<IResult> BulkAsync(HttpContext http, CatalogStore store, CancellationToken ct)
    {
        if (http.Request.ContentLength > MaxBulkBytes)
            return TooLarge("body", $"a bulk request may be at most {MaxBulkBytes / 1024 / 1024} MB; send more requests");
        if (await ReadJsonAsync(http, MaxBulkBytes, ct) is not { } body)
            return Invalid("body", "must be JSON: {\"products\": [...]} or an array of products", "Invalid catalog request");
        var items = body.ValueKind == JsonValueKind.Array ? body
            : body.ValueKind == JsonValueKind.Object && body.TryGetProperty("products", out var list) && list.ValueKind == JsonValueKind.Array ? list
            : (JsonElement?)null;
        if (items is not { } array)
            return Invalid("products", "must be an array of products", "Invalid catalog request");
        if (array.GetArrayLength() > MaxBulk)
            return TooLarge("products", $"at most {MaxBulk} products per request; send more requests");

        var errors = new List<FieldError>();
        var products = new List<CatalogProduct>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (CatalogJson.ReadProduct(item, $"products[{i}]", errors) is { } product)
                products.Add(product);
            i++;
        }
        if (errors.Count > 0)
            return Invalid(errors, "Invalid products");
        var result = await store.UpsertAsync(AdminAuth.WorkspaceOf(http), products, ct);
        return TypedResults.Ok(new UpsertSummary(result.Created, result.Updated, result.Unchanged));
    }

    private static async Task<Results<Ok<CatalogProduct>, ProblemHttpResult>> GetAsync(HttpContext http, string id, CatalogStore store, CancellationToken ct) =>
        await store.GetAsync(AdminAuth.WorkspaceOf(http), id, ct) is { } product ? TypedResults.Ok(product) : NotFound(id);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(HttpContext http, string id, CatalogStore store, CancellationToken ct) =>
        await store.DeleteAsync(AdminAuth.WorkspaceOf(http), id, ct) ? TypedResults.NoContent() : NotFound(id);

    private static async Task<IResult> PriceHistoryAsync(HttpContext http, string id, int? days, CatalogStore store, TimeProvider time, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (days is < 1 or > 3650)
            return Invalid("days", "must be between 1 and 3650", "Invalid query");
        if (await store.GetAsync(workspace, id, ct) is null)
            return NotFound(id);
        return TypedResults.Ok(await store.PriceHistoryAsync(workspace, id, days is { } d ? time.GetUtcNow().AddDays(-d) : null, ct));
    }

    private static async Task<IResult> InventoryHistoryAsync(HttpContext http, string id, int? days, CatalogStore store, TimeProvider time, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (days is < 1 or > 3650)
            return Invalid("days", "must be between 1 and 3650", "Invalid query");
        if (await store.GetAsync(workspace, id, ct) is null)
            return NotFound(id);
        return TypedResults.Ok(await store.InventoryHistoryAsync(workspace, id, days is { } d ? time.GetUtcNow().AddDays(-d) : null, ct));
    }

    private static async Task<Results<Ok<EffectiveMarketingView>, ProblemHttpResult>> MarketingAsync(
        HttpContext http, string id, CatalogStore store, ProductTypeStore types, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetAsync(workspace, id, ct) is not { } product)
            return NotFound(id);
        var type = product.ProductType is { } name ? await types.GetAsync(workspace, name, ct) : null;
        return TypedResults.Ok(new EffectiveMarketingView(product.Id, product.ProductType, MarketingResolver.Resolve(product, type?.Attributes)));
    }

    private static async Task<Ok<IReadOnlyList<ProductTypeView>>> ProductTypesAsync(HttpContext http, ProductTypeStore types, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<ProductTypeView>>((await types.ListAsync(AdminAuth.WorkspaceOf(http), ct))
            .Select(t => new ProductTypeView(t.ProductType, t.Attributes, ReviewDelayDefaults.For(t.ProductType), t.UpdatedAt)).ToList());

    private static async Task<Ok<ProductTypeView>> ProductTypeAsync(HttpContext http, string type, ProductTypeStore types, CancellationToken ct)
    {
        var found = await types.GetAsync(AdminAuth.WorkspaceOf(http), type, ct);
        return TypedResults.Ok(new ProductTypeView(found?.ProductType ?? type, found?.Attributes ?? MarketingAttributes.None, ReviewDelayDefaults.For(type), found?.UpdatedAt));
    }

    private static async Task<IResult> SetProductTypeAsync(HttpContext http, string type, ProductTypeStore types, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(type) || type.Length > CatalogValidation.MaxText)
            return Invalid("type", $"must be 1 to {CatalogValidation.MaxText} characters", "Invalid product type");
        if (await ReadJsonAsync(http, 1024 * 1024, ct) is not { } body)
            return Invalid("body", "must be a JSON object", "Invalid product type");
        var errors = new List<FieldError>();
        if (CatalogJson.ReadProductTypeAttributes(body, errors) is not { } attributes)
            return Invalid(errors, "Invalid product type");
        var saved = await types.SetAsync(AdminAuth.WorkspaceOf(http), type, attributes, ct);
        return TypedResults.Ok(new ProductTypeView(saved.ProductType, saved.Attributes, ReviewDelayDefaults.For(saved.ProductType), saved.UpdatedAt));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteProductTypeAsync(HttpContext http, string type, ProductTypeStore types, CancellationToken ct) =>
        await types.DeleteAsync(AdminAuth.WorkspaceOf(http), type, ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem(detail: $"nothing is set on product type '{type}'", statusCode: 404, title: "Not found",
                extensions: new Dictionary<string, object?> { ["field"] = "type" });

    private static async Task<IResult> FeedAsync(HttpContext http, string? format, CatalogFeed feed, CancellationToken ct)
    {
        if (http.Request.ContentLength > CatalogFeed.MaxBytes)
            return TooLarge("file", $"a feed may be at most {CatalogFeed.MaxBytes / 1024 / 1024} MB");
        Stream? upload = null;
        string? fileName = null;
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(ct);
            if (form.Files.Count == 0)
                return Invalid("file", "attach the feed file to the form", "Invalid feed");
            upload = form.Files[0].OpenReadStream();
            fileName = form.Files[0].FileName;
        }
        await using (upload)
        {
            var kind = CatalogFeed.FormatOf(format, fileName, http.Request.ContentType);
            if (kind is null)
                return Invalid("format", "must be csv, json or ndjson (or send Content-Type text/csv, application/json or application/x-ndjson)", "Invalid feed");
            var (result, problem) = await feed.RunAsync(AdminAuth.WorkspaceOf(http), kind.Value, upload ?? http.Request.Body, ct);
            return problem is { } p ? Invalid(p.Field, p.Message, "Invalid feed") : TypedResults.Ok(result);
        }
    }

    /// <summary>A single product from the body; for a PUT the path names the id (a body id must agree).</summary>
    private static async Task<(CatalogProduct? Product, IResult? Problem)> ReadProductAsync(HttpContext http, string? pathId)
    {
        if (await ReadJsonAsync(http, 4 * 1024 * 1024, http.RequestAborted) is not { } body)
            return (null, Invalid("body", "must be a JSON object (a product)", "Invalid product"));
        if (pathId is not null && body.ValueKind == JsonValueKind.Object)
        {
            var node = System.Text.Json.Nodes.JsonObject.Create(body)!;
            var bodyId = node["id"]?.ToString();
            if (bodyId is not null && bodyId != pathId)
                return (null, Invalid("id", $"is '{bodyId}' but the URL names '{pathId}'", "Invalid product"));
            node["id"] = pathId;
            body = JsonSerializer.SerializeToElement(node);
        }
        var errors = new List<FieldError>();
        return CatalogJson.ReadProduct(body, "", errors) is { } product ? (product, null) : (null, Invalid(errors, "Invalid product"));
    }

    private static async Task<JsonElement?> ReadJsonAsync(HttpContext http, long maxBytes, CancellationToken ct)
    {
        try
        {
            using var limited = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (limited.Length + read > maxBytes)
                    return null;
                limited.Write(chunk, 0, read);
            }
            limited.Position = 0;
            return await JsonSerializer.DeserializeAsync<JsonElement>(limited, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ValidationProblem Invalid(List<FieldError> errors, string title) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal),
            detail: "The request is invalid; nothing was changed. Fix the fields listed in errors.", title: title);

    private static ValidationProblem Invalid(string field, string message, string title) => Invalid([new FieldError(field, message)], title);

    private static ProblemHttpResult TooLarge(string field, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large",
            extensions: new Dictionary<string, object?> { ["field"] = field });

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(detail: $"no product with id '{id}' in this workspace", statusCode: 404, title: "Not found",
            extensions: new Dictionary<string, object?> { ["field"] = "id" });
}
