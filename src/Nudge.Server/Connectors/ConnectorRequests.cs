using System.Globalization;
using System.Text.Json;
using Nudge.Core.Connectors;
using Nudge.Server.Lists;
using Nudge.Storage.Connectors;

namespace Nudge.Server.Connectors;

/// <summary>Reads and checks a request to connect a shop, naming every field that is wrong before anything is stored.</summary>
internal static class ConnectorRequests
{
    public const int MaxSecret = 512;
    public const int MaxDomain = 253;

    private static readonly string[] Keys = ["platform", "secret", "shopDomain", "adminAccessToken"];

    public static ConnectorDraft? Read(JsonElement body, Errors errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "must be a JSON object with platform, secret, shopDomain and optionally adminAccessToken");
            return null;
        }
        foreach (var property in body.EnumerateObject().Where(p => !Keys.Contains(p.Name, StringComparer.Ordinal)))
            errors.Add(property.Name, $"is not a connector field; use {string.Join(", ", Keys)}");

        var platformText = Text(body, "platform", errors, required: true, MaxDomain);
        var platform = ShopPlatforms.Parse(platformText);
        if (platformText is not null && platform is null)
            errors.Add("platform", "must be shopify, woocommerce or shopware");

        var secret = Text(body, "secret", errors, required: true, MaxSecret);
        var domain = Text(body, "shopDomain", errors, required: true, MaxDomain + 8);
        string? shopDomain = null;
        if (domain is not null && (shopDomain = Domain(domain)) is null)
            errors.Add("shopDomain", "must be the shop's domain name, such as example.myshopify.com or shop.example.com");
        var token = Text(body, "adminAccessToken", errors, required: false, MaxSecret);

        return errors.Any ? null : new ConnectorDraft(platform!.Value, shopDomain!, secret!, token);
    }

    /// <summary>The host name of a domain given with or without scheme and path, lower case; null when it is none.</summary>
    private static string? Domain(string text)
    {
        var candidate = text.Contains("://", StringComparison.Ordinal) ? text : "https://" + text;
        if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri) || uri.HostNameType != UriHostNameType.Dns || uri.Host.Length > MaxDomain)
            return null;
        var host = uri.Host.ToLower(CultureInfo.InvariantCulture);
        return uri.IsDefaultPort ? host : host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
    }

    private static string? Text(JsonElement body, string field, Errors errors, bool required, int max)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
                errors.Add(field, "is required");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Trim() is not { Length: > 0 } text || text.Length > max)
        {
            errors.Add(field, $"must be a text of 1 to {max} characters");
            return null;
        }
        return text;
    }
}
