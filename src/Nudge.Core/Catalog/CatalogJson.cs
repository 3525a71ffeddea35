using System.Globalization;
using System.Text.Json;
using Nudge.Core.Ingestion;

namespace Nudge.Core.Catalog;

/// <summary>
/// Reads products from JSON as the API, feeds and imports send them. Field names are read in camelCase or snake_case
/// (<c>imageUrl</c> or <c>image_url</c>), with the aliases common in shop feeds (<c>product_id</c>, <c>name</c>,
/// <c>image_link</c>, <c>quantity</c>); marketing attributes may be nested under <c>marketing</c> or flat.
/// Every error names its field by path; the product is then null.
/// </summary>
public static class CatalogJson
{
    private static readonly Dictionary<string, string> ProductFields = Aliases(
        ("id", ["id", "productid"]), ("sku", ["sku"]), ("title", ["title", "name"]), ("url", ["url", "link"]),
        ("imageUrl", ["imageurl", "image", "imagelink"]), ("price", ["price"]),
        ("compareAtPrice", ["compareatprice"]), ("currency", ["currency"]),
        ("categories", ["categories", "category"]), ("brand", ["brand"]), ("productType", ["producttype", "type"]),
        ("tags", ["tags"]), ("inventoryQuantity", ["inventoryquantity", "quantity", "inventory", "stock"]),
        ("availability", ["availability"]), ("variants", ["variants"]), ("marketing", ["marketing"]),
        ("complementaryProductIds", ["complementaryproductids"]), ("upsellProductIds", ["upsellproductids"]),
        ("consumptionDays", ["consumptiondays"]), ("reviewDelayDays", ["reviewdelaydays"]),
        ("createdAt", ["createdat"]), ("updatedAt", ["updatedat"]));

    private static readonly Dictionary<string, string> VariantFields = Aliases(
        ("id", ["id", "variantid"]), ("sku", ["sku"]), ("title", ["title", "name"]), ("url", ["url", "link"]),
        ("imageUrl", ["imageurl", "image", "imagelink"]), ("price", ["price"]), ("compareAtPrice", ["compareatprice"]),
        ("inventoryQuantity", ["inventoryquantity", "quantity", "inventory", "stock"]), ("availability", ["availability"]));

    private static readonly Dictionary<string, string> MarketingFields = Aliases(
        ("complementaryProductIds", ["complementaryproductids"]), ("upsellProductIds", ["upsellproductids"]),
        ("consumptionDays", ["consumptiondays"]), ("reviewDelayDays", ["reviewdelaydays"]));

    /// <summary>Reads and validates one product; null (with errors) when anything is wrong.</summary>
    /// <param name="element">The product object.</param>
    /// <param name="path">Prefix of field names in errors ("" for a single product).</param>
    /// <param name="errors">Where errors are added.</param>
    /// <param name="strict">True: unknown fields are errors (the API); false: ignored (feeds carry other columns).</param>
    public static CatalogProduct? ReadProduct(JsonElement element, string path, List<FieldError> errors, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        var p = path.Length == 0 ? "" : path + ".";
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path.Length == 0 ? "body" : path, "must be a JSON object (a product)"));
            return null;
        }
        var f = Fields(element, ProductFields, p, errors, strict);
        var marketing = ReadMarketing(f, p, errors, strict);
        var variants = new List<CatalogVariant>();
        if (f.TryGetValue("variants", out var vs) && vs.ValueKind != JsonValueKind.Null)
        {
            if (vs.ValueKind != JsonValueKind.Array)
                errors.Add(new(p + "variants", "must be an array of variants"));
            else
            {
                var i = 0;
                foreach (var v in vs.EnumerateArray())
                {
                    if (ReadVariant(v, $"{p}variants[{i}]", errors, strict) is { } variant)
                        variants.Add(variant);
                    i++;
                }
            }
        }

        var product = new CatalogProduct
        {
            Id = Str(f, "id", p, errors, acceptNumber: true) ?? "",
            Sku = Str(f, "sku", p, errors, acceptNumber: true),
            Title = Str(f, "title", p, errors) ?? "",
            Url = Str(f, "url", p, errors),
            ImageUrl = Str(f, "imageUrl", p, errors),
            Price = Money(f, "price", p, errors),
            CompareAtPrice = Money(f, "compareAtPrice", p, errors),
            Currency = Str(f, "currency", p, errors)?.ToUpperInvariant(),
            Categories = Strings(f, "categories", p, errors, ','),
            Brand = Str(f, "brand", p, errors),
            ProductType = Str(f, "productType", p, errors),
            Tags = Strings(f, "tags", p, errors, ','),
            InventoryQuantity = Int(f, "inventoryQuantity", p, errors),
            Availability = ReadAvailability(f, p, errors),
            Variants = variants,
            Marketing = marketing,
            CreatedAt = Time(f, "createdAt", p, errors),
            UpdatedAt = Time(f, "updatedAt", p, errors),
        };
        if (errors.Count > before)
            return null;
        CatalogValidation.Validate(product, path, errors);
        return errors.Count > before ? null : product;
    }

    /// <summary>Reads and validates marketing attributes set on a product type; null (with errors) when anything is wrong.</summary>
    public static MarketingAttributes? ReadProductTypeAttributes(JsonElement element, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("body", "must be a JSON object with complementaryProductIds, upsellProductIds, consumptionDays and reviewDelayDays"));
            return null;
        }
        var f = Fields(element, MarketingFields, "", errors, strict: true);
        var attributes = new MarketingAttributes(
            IdList(f, "complementaryProductIds", "", errors), IdList(f, "upsellProductIds", "", errors),
            Int(f, "consumptionDays", "", errors), Int(f, "reviewDelayDays", "", errors));
        if (errors.Count > before)
            return null;
        CatalogValidation.ValidateMarketing(attributes, "", errors);
        for (var i = before; i < errors.Count; i++)
            errors[i] = errors[i] with { Field = errors[i].Field.TrimStart('.') };
        return errors.Count > before ? null : attributes;
    }

    private static CatalogVariant? ReadVariant(JsonElement element, string path, List<FieldError> errors, bool strict)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "must be a JSON object (a variant)"));
            return null;
        }
        var p = path + ".";
        var f = Fields(element, VariantFields, p, errors, strict);
        return new CatalogVariant
        {
            Id = Str(f, "id", p, errors, acceptNumber: true) ?? "",
            Sku = Str(f, "sku", p, errors, acceptNumber: true),
            Title = Str(f, "title", p, errors),
            Url = Str(f, "url", p, errors),
            ImageUrl = Str(f, "imageUrl", p, errors),
            Price = Money(f, "price", p, errors),
            CompareAtPrice = Money(f, "compareAtPrice", p, errors),
            InventoryQuantity = Int(f, "inventoryQuantity", p, errors),
            Availability = ReadAvailability(f, p, errors),
        };
    }

    private static MarketingAttributes ReadMarketing(Dictionary<string, JsonElement> f, string p, List<FieldError> errors, bool strict)
    {
        var nested = f.TryGetValue("marketing", out var m) && m.ValueKind == JsonValueKind.Object
            ? Fields(m, MarketingFields, p + "marketing.", errors, strict)
            : [];
        if (f.TryGetValue("marketing", out m) && m.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            errors.Add(new(p + "marketing", "must be an object"));
        foreach (var key in MarketingFields.Values.Distinct())
        {
            if (f.TryGetValue(key, out var flat))
                nested.TryAdd(key, flat);
        }
        var mp = p + "marketing.";
        return new MarketingAttributes(
            IdList(nested, "complementaryProductIds", mp, errors), IdList(nested, "upsellProductIds", mp, errors),
            Int(nested, "consumptionDays", mp, errors), Int(nested, "reviewDelayDays", mp, errors));
    }

    private static Dictionary<string, JsonElement> Fields(JsonElement element, Dictionary<string, string> known, string p, List<FieldError> errors, bool strict)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (known.TryGetValue(Normalize(property.Name), out var name))
            {
                if (!fields.TryAdd(name, property.Value))
                    errors.Add(new(p + property.Name, $"repeats {name}"));
            }
            else if (strict)
                errors.Add(new(p + property.Name, $"is not a known field; use {string.Join(", ", known.Values.Distinct())}"));
        }
        return fields;
    }

    private static string? Str(Dictionary<string, JsonElement> f, string name, string p, List<FieldError> errors, bool acceptNumber = false)
    {
        if (!f.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.String)
            return value.GetString() is { Length: > 0 } s ? s.Trim() : null;
        if (acceptNumber && value.ValueKind == JsonValueKind.Number)
            return value.GetRawText();
        errors.Add(new(p + name, "must be a string"));
        return null;
    }

    private static decimal? Money(Dictionary<string, JsonElement> f, string name, string p, List<FieldError> errors)
    {
        if (!f.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
            return number;
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!.Trim();
            if (text.Length == 0)
                return null;
            if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
                return number;
        }
        errors.Add(new(p + name, "must be a number such as 18.99"));
        return null;
    }

    private static int? Int(Dictionary<string, JsonElement> f, string name, string p, List<FieldError> errors)
    {
        if (!f.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
            return number;
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!.Trim();
            if (text.Length == 0)
                return null;
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
                return number;
        }
        errors.Add(new(p + name, "must be a whole number"));
        return null;
    }

    private static DateTimeOffset? Time(Dictionary<string, JsonElement> f, string name, string p, List<FieldError> errors)
    {
        if (!f.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at.ToUniversalTime();
        if (value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length == 0)
            return null;
        errors.Add(new(p + name, "must be an ISO 8601 date and time such as 2026-03-02T09:30:00Z"));
        return null;
    }

    private static IReadOnlyList<string> Strings(Dictionary<string, JsonElement> f, string name, string p, List<FieldError> errors, char separator)
    {
        if (!f.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return [];
        if (value.ValueKind == JsonValueKind.String)
        {
            // Feeds and CSV columns carry lists as "a, b, c"; Google's category paths use " > " within one entry.
            return value.GetString()!.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        if (value.ValueKind == JsonValueKind.Array)
        {
            var items = new List<string>();
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                    items.Add(item.GetString()!.Trim());
                else if (item.ValueKind == JsonValueKind.Number)
                    items.Add(item.GetRawText());
                else
                    errors.Add(new($"{p}{name}[{i}]", "must be a string"));
                i++;
            }
            return items;
        }
        errors.Add(new(p + name, "must be an array of strings (or one comma-separated string)"));
        return [];
    }

    private static IReadOnlyList<string>? IdList(Dictionary<string, JsonElement> f, string name, string p, List<FieldError> errors) =>
        f.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? Strings(f, name, p, errors, ',') : null;

    private static Availability? ReadAvailability(Dictionary<string, JsonElement> f, string p, List<FieldError> errors)
    {
        if (!f.TryGetValue("availability", out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.True)
            return Availability.InStock;
        if (value.ValueKind == JsonValueKind.False)
            return Availability.OutOfStock;
        if (value.ValueKind == JsonValueKind.String)
        {
            switch (Normalize(value.GetString()!))
            {
                case "":
                    return null;
                case "instock" or "available" or "true" or "yes":
                    return Availability.InStock;
                case "outofstock" or "soldout" or "unavailable" or "false" or "no":
                    return Availability.OutOfStock;
                case "preorder":
                    return Availability.Preorder;
                case "backorder":
                    return Availability.Backorder;
            }
        }
        errors.Add(new(p + "availability", "must be in_stock, out_of_stock, preorder or backorder"));
        return null;
    }

    /// <summary>"image_url", "imageUrl", "Image URL" and "image-url" all read as "imageurl".</summary>
    public static string Normalize(string name) =>
        string.Concat(name.Where(char.IsAsciiLetterOrDigit)).ToLowerInvariant();

    private static Dictionary<string, string> Aliases(params (string Name, string[] Aliases)[] fields)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, aliases) in fields)
        {
            foreach (var alias in aliases)
                map[alias] = name;
        }
        return map;
    }
}
