using System.Text.Json;
using Nudge.Core.Catalog;
using Nudge.Core.Ingestion;
using Nudge.Server.Admin;
using Nudge.Storage.Catalog;

namespace Nudge.Server.Catalog;

/// <summary>The workspace's product signal settings (price drop, back in stock): <c>/api/catalog/signals</c>.</summary>
public static class SignalsApi
{
    private static readonly string[] Keys =
        ["priceDropEnabled", "minDropPercent", "minDropAmount", "referenceDays", "audienceDays", "backInStockEnabled", "waveFactor", "waveIntervalMinutes"];

    public static RouteGroupBuilder MapSignalsApi(this RouteGroupBuilder api)
    {
        var signals = api.MapGroup("/catalog/signals").WithTags("Catalog");
        signals.MapGet("/", GetAsync).WithSummary("The product signal settings (the defaults until set)").Produces<ProductSignalSettings>();
        signals.MapPut("/", PutAsync).WithSummary("Replace the product signal settings; fields left out take their defaults")
            .Accepts<ProductSignalSettings>("application/json").Produces<ProductSignalSettings>().ProducesValidationProblem();
        return api;
    }

    private static async Task<IResult> GetAsync(HttpContext http, ProductSignalStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.GetSettingsAsync(AdminAuth.WorkspaceOf(http), ct));

    private static async Task<IResult> PutAsync(HttpContext http, ProductSignalStore store, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return Invalid([new FieldError("body", "must be a JSON object")]);
        }
        if (body.ValueKind != JsonValueKind.Object)
            return Invalid([new FieldError("body", "must be a JSON object")]);
        foreach (var property in body.EnumerateObject().Where(p => !Keys.Contains(p.Name, StringComparer.Ordinal)))
            errors.Add(new(property.Name, $"is not a signal setting; use {string.Join(", ", Keys)}"));

        var d = ProductSignalSettings.Default;
        var settings = new ProductSignalSettings(
            Bool(body, "priceDropEnabled", d.PriceDropEnabled, errors),
            Number(body, "minDropPercent", d.MinDropPercent, errors),
            Number(body, "minDropAmount", d.MinDropAmount, errors),
            Int(body, "referenceDays", d.ReferenceDays, errors),
            Int(body, "audienceDays", d.AudienceDays, errors),
            Bool(body, "backInStockEnabled", d.BackInStockEnabled, errors),
            Int(body, "waveFactor", d.WaveFactor, errors),
            Int(body, "waveIntervalMinutes", d.WaveIntervalMinutes, errors));
        if (errors.Count == 0)
            settings.Validate(errors);
        if (errors.Count > 0)
            return Invalid(errors);
        await store.SetSettingsAsync(AdminAuth.WorkspaceOf(http), settings, ct);
        return TypedResults.Ok(settings);
    }

    private static bool Bool(JsonElement body, string name, bool fallback, List<FieldError> errors)
    {
        if (!body.TryGetProperty(name, out var value))
            return fallback;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return value.GetBoolean();
        errors.Add(new(name, "must be true or false"));
        return fallback;
    }

    private static decimal? Number(JsonElement body, string name, decimal? fallback, List<FieldError> errors)
    {
        if (!body.TryGetProperty(name, out var value))
            return fallback;
        if (value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
            return number;
        errors.Add(new(name, "must be a number or null"));
        return fallback;
    }

    private static int Int(JsonElement body, string name, int fallback, List<FieldError> errors)
    {
        if (!body.TryGetProperty(name, out var value))
            return fallback;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
            return number;
        errors.Add(new(name, "must be a whole number"));
        return fallback;
    }

    private static IResult Invalid(List<FieldError> errors) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal),
            detail: "The settings are invalid; nothing was changed. Fix the fields listed in errors.", title: "Invalid signal settings");
}
