using System.Globalization;
using System.Text.Json;
using Nudge.Core.Ingestion;

namespace Nudge.Core.Coupons;

/// <summary>
/// Reads a pool's settings from the JSON an admin sends, naming every wrong field (<c>validity.days</c>) before
/// anything is stored:
/// <c>{ "name", "description", "type": "percent"|"fixed"|"freeShipping", "amount", "currency",
/// "validity": { "from", "until", "days" }, "usageLimit", "lowThreshold", "connector" }</c>.
/// </summary>
public static class CouponPoolReader
{
    /// <summary>The longest pool name.</summary>
    public const int MaxName = 200;

    /// <summary>The default "running low" threshold.</summary>
    public const int DefaultLowThreshold = 100;

    private static readonly string[] _keys = ["name", "description", "type", "amount", "currency", "validity", "usageLimit", "lowThreshold", "connector"];
    private static readonly string[] _validityKeys = ["from", "until", "days"];

    /// <summary>The settings, or null with the errors.</summary>
    public static (CouponPoolSettings? Settings, IReadOnlyList<FieldError> Errors) Read(JsonElement body)
    {
        var errors = new List<FieldError>();
        if (body.ValueKind != JsonValueKind.Object)
            return (null, [new FieldError("body", "must be a JSON object with name, type and amount")]);
        foreach (var property in body.EnumerateObject())
        {
            if (!_keys.Contains(property.Name, StringComparer.Ordinal))
                errors.Add(new FieldError(property.Name, $"is not a pool setting; expected {string.Join(", ", _keys)}"));
        }

        var name = Text(body, "name", MaxName, errors, required: true);
        var description = Text(body, "description", 2000, errors, required: false);
        var typeName = Text(body, "type", 32, errors, required: true);
        var type = CouponTypes.Parse(typeName);
        if (typeName is not null && type is null)
            errors.Add(new FieldError("type", "must be percent, fixed or freeShipping"));

        decimal? amount = null;
        if (body.TryGetProperty("amount", out var a) && a.ValueKind != JsonValueKind.Null)
        {
            if (a.ValueKind != JsonValueKind.Number || !a.TryGetDecimal(out var value) || value <= 0)
                errors.Add(new FieldError("amount", "must be a number above 0"));
            else
                amount = value;
        }
        if (type is CouponType.Percent or CouponType.Fixed && amount is null && !errors.Any(e => e.Field == "amount"))
            errors.Add(new FieldError("amount", type == CouponType.Percent ? "is required: the percentage off, e.g. 10" : "is required: the amount off, e.g. 5"));
        if (type == CouponType.Percent && amount > 100)
            errors.Add(new FieldError("amount", "must be at most 100 (percent)"));
        if (type == CouponType.FreeShipping && amount is not null)
            errors.Add(new FieldError("amount", "must be left out for free shipping"));

        var currency = Text(body, "currency", 3, errors, required: false)?.ToUpperInvariant();
        if (type == CouponType.Fixed && currency is null && !errors.Any(e => e.Field == "currency"))
            errors.Add(new FieldError("currency", "is required for a fixed amount: an ISO 4217 code such as EUR"));
        else if (currency is not null && (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)))
            errors.Add(new FieldError("currency", "must be an ISO 4217 code such as EUR"));
        else if (currency is not null && type != CouponType.Fixed)
            errors.Add(new FieldError("currency", "is only for fixed amounts"));

        var validity = ReadValidity(body, errors);
        var usageLimit = Whole(body, "usageLimit", 1, 1_000_000, 1, errors);
        var lowThreshold = Whole(body, "lowThreshold", 0, 10_000_000, DefaultLowThreshold, errors);
        var connector = Text(body, "connector", 64, errors, required: false);

        return errors.Count == 0
            ? (new CouponPoolSettings(name!, description, type!.Value, amount, currency, validity, usageLimit, lowThreshold, connector), errors)
            : (null, errors);
    }

    private static CouponValidity ReadValidity(JsonElement body, List<FieldError> errors)
    {
        if (!body.TryGetProperty("validity", out var v) || v.ValueKind == JsonValueKind.Null)
            return CouponValidity.Unlimited;
        if (v.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("validity", "must be an object with from, until (dates) and/or days (after assignment)"));
            return CouponValidity.Unlimited;
        }
        foreach (var property in v.EnumerateObject())
        {
            if (!_validityKeys.Contains(property.Name, StringComparer.Ordinal))
                errors.Add(new FieldError("validity." + property.Name, "is not a validity setting; expected from, until or days"));
        }
        var from = Moment(v, "from", errors);
        var until = Moment(v, "until", errors);
        if (from is not null && until is not null && until <= from)
            errors.Add(new FieldError("validity.until", "must be after validity.from"));
        int? days = null;
        if (v.TryGetProperty("days", out var d) && d.ValueKind != JsonValueKind.Null)
        {
            if (!d.TryGetInt32(out var n) || n is < 1 or > 3650)
                errors.Add(new FieldError("validity.days", "must be a whole number of days from 1 to 3650"));
            else
                days = n;
        }
        return new CouponValidity(from, until, days);
    }

    private static DateTimeOffset? Moment(JsonElement node, string key, List<FieldError> errors)
    {
        if (!node.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment))
        {
            return moment.ToUniversalTime();
        }
        errors.Add(new FieldError("validity." + key, "must be an ISO 8601 date or time, e.g. \"2026-12-31T23:59:59Z\""));
        return null;
    }

    private static int Whole(JsonElement body, string key, int min, int max, int fallback, List<FieldError> errors)
    {
        if (!body.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            return fallback;
        if (value.TryGetInt32(out var n) && n >= min && n <= max)
            return n;
        errors.Add(new FieldError(key, $"must be a whole number from {min} to {max}"));
        return fallback;
    }

    private static string? Text(JsonElement body, string key, int max, List<FieldError> errors, bool required)
    {
        if (!body.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
                errors.Add(new FieldError(key, "is required"));
            return null;
        }
        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Trim() is not { Length: > 0 } text || text.Length > max)
        {
            errors.Add(new FieldError(key, $"must be a text of 1 to {max} characters"));
            return null;
        }
        return text;
    }
}
