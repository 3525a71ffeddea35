using Nudge.Core.Ingestion;

namespace Nudge.Core.Catalog;

/// <summary>Checks a product before anything is stored, naming each wrong field by its path (e.g. <c>products[2].variants[0].price</c>).</summary>
public static class CatalogValidation
{
    public const int MaxId = 200;
    public const int MaxText = 1000;
    public const int MaxUrl = 2000;
    public const int MaxListItems = 100;
    public const int MaxVariants = 500;
    public const int MaxDays = 3650;

    /// <summary>Adds an error for every rule <paramref name="product"/> breaks; <paramref name="path"/> prefixes field names.</summary>
    public static void Validate(CatalogProduct product, string path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(product);
        ArgumentNullException.ThrowIfNull(errors);
        var p = path.Length == 0 ? "" : path + ".";
        Id(product.Id, p + "id", errors);
        Text(product.Sku, p + "sku", errors);
        if (string.IsNullOrWhiteSpace(product.Title))
            errors.Add(new(p + "title", "is required"));
        else
            Text(product.Title, p + "title", errors);
        Url(product.Url, p + "url", errors);
        Url(product.ImageUrl, p + "imageUrl", errors);
        Money(product.Price, p + "price", errors);
        Money(product.CompareAtPrice, p + "compareAtPrice", errors);
        if (product.Currency is { } currency && (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)))
            errors.Add(new(p + "currency", "must be a three-letter ISO 4217 code such as EUR"));
        if ((product.Price is not null || product.Variants.Any(v => v.Price is not null)) && product.Currency is null)
            errors.Add(new(p + "currency", "is required when a price is given"));
        Items(product.Categories, p + "categories", errors);
        Text(product.Brand, p + "brand", errors);
        Text(product.ProductType, p + "productType", errors);
        Items(product.Tags, p + "tags", errors);
        if (product.Variants.Count > MaxVariants)
            errors.Add(new(p + "variants", $"has more than {MaxVariants} variants"));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < product.Variants.Count; i++)
        {
            var v = product.Variants[i];
            var vp = $"{p}variants[{i}].";
            Id(v.Id, vp + "id", errors);
            if (!string.IsNullOrEmpty(v.Id) && !seen.Add(v.Id))
                errors.Add(new(vp + "id", $"'{v.Id}' is used by another variant of this product"));
            Text(v.Sku, vp + "sku", errors);
            Text(v.Title, vp + "title", errors);
            Url(v.Url, vp + "url", errors);
            Url(v.ImageUrl, vp + "imageUrl", errors);
            Money(v.Price, vp + "price", errors);
            Money(v.CompareAtPrice, vp + "compareAtPrice", errors);
        }
        ValidateMarketing(product.Marketing, p + "marketing", errors, product.Id);
    }

    /// <summary>Checks marketing attributes (of a product, or of a product type when <paramref name="ownId"/> is null).</summary>
    public static void ValidateMarketing(MarketingAttributes marketing, string path, List<FieldError> errors, string? ownId = null)
    {
        ArgumentNullException.ThrowIfNull(marketing);
        ArgumentNullException.ThrowIfNull(errors);
        ProductIds(marketing.ComplementaryProductIds, path + ".complementaryProductIds", errors, ownId);
        ProductIds(marketing.UpsellProductIds, path + ".upsellProductIds", errors, ownId);
        Days(marketing.ConsumptionDays, path + ".consumptionDays", errors);
        Days(marketing.ReviewDelayDays, path + ".reviewDelayDays", errors);
    }

    private static void Id(string? id, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(id))
            errors.Add(new(field, "is required"));
        else if (id.Length > MaxId)
            errors.Add(new(field, $"is longer than {MaxId} characters"));
        else if (id.Any(char.IsControl))
            errors.Add(new(field, "contains control characters"));
    }

    private static void Text(string? text, string field, List<FieldError> errors)
    {
        if (text is not null && text.Length > MaxText)
            errors.Add(new(field, $"is longer than {MaxText} characters"));
    }

    private static void Url(string? url, string field, List<FieldError> errors)
    {
        if (url is null)
            return;
        if (url.Length > MaxUrl || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            errors.Add(new(field, "must be an absolute http or https URL"));
    }

    private static void Money(decimal? amount, string field, List<FieldError> errors)
    {
        if (amount is < 0)
            errors.Add(new(field, "must not be negative"));
        else if (amount is > 1_000_000_000m)
            errors.Add(new(field, "is larger than 1,000,000,000"));
    }

    private static void Items(IReadOnlyList<string> items, string field, List<FieldError> errors)
    {
        if (items.Count > MaxListItems)
            errors.Add(new(field, $"has more than {MaxListItems} entries"));
        for (var i = 0; i < items.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(items[i]))
                errors.Add(new($"{field}[{i}]", "must not be empty"));
            else
                Text(items[i], $"{field}[{i}]", errors);
        }
    }

    private static void ProductIds(IReadOnlyList<string>? ids, string field, List<FieldError> errors, string? ownId)
    {
        if (ids is null)
            return;
        if (ids.Count > MaxListItems)
            errors.Add(new(field, $"has more than {MaxListItems} entries"));
        for (var i = 0; i < ids.Count; i++)
        {
            Id(ids[i], $"{field}[{i}]", errors);
            if (ownId is not null && string.Equals(ids[i], ownId, StringComparison.Ordinal))
                errors.Add(new($"{field}[{i}]", "names the product itself"));
        }
    }

    private static void Days(int? days, string field, List<FieldError> errors)
    {
        if (days is < 1 or > MaxDays)
            errors.Add(new(field, $"must be between 1 and {MaxDays} days"));
    }
}
