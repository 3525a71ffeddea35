using Nudge.Core.Catalog;
using Nudge.Server.Lists;

namespace Nudge.Server.Catalog;

/// <summary>A bulk upsert: up to <see cref="CatalogApi.MaxBulk"/> products.</summary>
/// <param name="Products">The products, each as for <c>PUT /api/catalog/products/{id}</c>.</param>
public sealed record BulkUpsertRequest(IReadOnlyList<CatalogProduct> Products);

/// <summary>What a bulk upsert or a feed did.</summary>
/// <param name="Created">Products that were new.</param>
/// <param name="Updated">Products that changed.</param>
/// <param name="Unchanged">Products sent exactly as stored (nothing written).</param>
public sealed record UpsertSummary(int Created, int Updated, int Unchanged);

/// <summary>What a feed import did.</summary>
/// <param name="Rows">Rows (CSV, NDJSON) or items (JSON) read.</param>
/// <param name="Created">Products that were new.</param>
/// <param name="Updated">Products that changed.</param>
/// <param name="Unchanged">Products exactly as stored (nothing written): all of them when the same feed runs again.</param>
/// <param name="Errors">Rows that were not imported, with line and reason (the first 1000).</param>
/// <param name="ErrorsNotShown">Further rows with errors.</param>
public sealed record FeedResult(int Rows, int Created, int Updated, int Unchanged, IReadOnlyList<ImportError> Errors, int ErrorsNotShown);

/// <summary>A product's effective marketing attributes, each with where it came from (<c>product</c>, <c>productType</c>, <c>default</c>, <c>none</c>).</summary>
/// <param name="ProductId">The product.</param>
/// <param name="ProductType">Its product type.</param>
/// <param name="Marketing">The effective values and their sources.</param>
public sealed record EffectiveMarketingView(string ProductId, string? ProductType, EffectiveMarketing Marketing);

/// <summary>The attributes set on a product type, and the built-in review delay its products get without one.</summary>
/// <param name="ProductType">The product type.</param>
/// <param name="Attributes">What the shop set (all null when nothing).</param>
/// <param name="DefaultReviewDelayDays">Nudge's built-in review delay for this kind of product.</param>
/// <param name="UpdatedAt">When the shop last set them (null: never).</param>
public sealed record ProductTypeView(string ProductType, MarketingAttributes Attributes, int DefaultReviewDelayDays, DateTimeOffset? UpdatedAt);
