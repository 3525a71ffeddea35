using System.Text.Json;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;
using Nudge.Storage.Lists;

namespace Nudge.Server.Lists;

/// <summary>Reads and checks what admins send about lists, naming every field that is wrong before anything changes.</summary>
internal static class ListRequests
{
    public const int MaxName = 200;
    public const int MaxDescription = 2000;
    public const int MaxRedirects = 20;
    public const int MaxUrl = 2000;

    private static readonly string[] SettingKeys = ["name", "description", "doubleOptIn", "allowedRedirects"];
    private static readonly string[] MemberKeys = ["profileId", "email", "userId"];

    /// <summary>The body as JSON; null (with an error on <c>body</c>) when it is not JSON.</summary>
    public static async Task<JsonElement?> ReadJsonAsync(HttpRequest request, Errors errors, CancellationToken ct)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            errors.Add("body", "must be a JSON object");
            return null;
        }
    }

    public static ListDraft? ReadSettings(JsonElement body, Errors errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "must be a JSON object with name, description, doubleOptIn and allowedRedirects");
            return null;
        }
        UnknownKeys(body, SettingKeys, "a list setting", errors);

        string? name = null;
        if (!body.TryGetProperty("name", out var nameValue) || nameValue.ValueKind == JsonValueKind.Null)
            errors.Add("name", "is required");
        else if (nameValue.ValueKind != JsonValueKind.String || nameValue.GetString()!.Trim() is not { Length: > 0 and <= MaxName } trimmed)
            errors.Add("name", $"must be a text of 1 to {MaxName} characters");
        else
            name = trimmed;

        string? description = null;
        if (body.TryGetProperty("description", out var descriptionValue) && descriptionValue.ValueKind != JsonValueKind.Null)
        {
            if (descriptionValue.ValueKind != JsonValueKind.String || descriptionValue.GetString()!.Length > MaxDescription)
                errors.Add("description", $"must be a text of at most {MaxDescription} characters");
            else
                description = descriptionValue.GetString();
        }

        var doubleOptIn = false;
        if (body.TryGetProperty("doubleOptIn", out var doi) && doi.ValueKind != JsonValueKind.Null)
        {
            if (doi.ValueKind is JsonValueKind.True or JsonValueKind.False)
                doubleOptIn = doi.GetBoolean();
            else
                errors.Add("doubleOptIn", "must be true or false");
        }

        var redirects = new List<string>();
        if (body.TryGetProperty("allowedRedirects", out var allowed) && allowed.ValueKind != JsonValueKind.Null)
        {
            if (allowed.ValueKind != JsonValueKind.Array || allowed.GetArrayLength() > MaxRedirects)
            {
                errors.Add("allowedRedirects", $"must be a list of at most {MaxRedirects} URLs");
            }
            else
            {
                var i = 0;
                foreach (var item in allowed.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String && NormalizeUrl(item.GetString()) is { } url)
                        redirects.Add(url);
                    else
                        errors.Add($"allowedRedirects[{i}]", "must be an absolute http or https URL (https://shop.example/thanks)");
                    i++;
                }
            }
        }

        return errors.Any ? null : new ListDraft(name!, description, doubleOptIn, redirects.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>Whom an admin adds: exactly one of profileId, email, userId.</summary>
    public static ListSubject? ReadMember(JsonElement body, Errors errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "must be a JSON object with one of profileId, email or userId");
            return null;
        }
        UnknownKeys(body, MemberKeys, "a way to name a person", errors);
        var given = MemberKeys.Where(k => body.TryGetProperty(k, out var v) && v.ValueKind != JsonValueKind.Null).ToList();
        if (given.Count != 1)
        {
            errors.Add(given.Count == 0 ? "body" : given[1], "name the person with exactly one of profileId, email or userId");
            return null;
        }

        var value = body.GetProperty(given[0]);
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        switch (given[0])
        {
            case "email":
                if (ContactNormalizer.Email(text) is { } email)
                    return ListSubject.OfEmail(email);
                errors.Add("email", "must be a valid email address");
                return null;
            case "userId":
                if (text is { Length: > 0 and <= MessageParser.MaxIdLength })
                    return new ListSubject(null, text, null, null);
                errors.Add("userId", $"must be a text of 1 to {MessageParser.MaxIdLength} characters");
                return null;
            default:
                if (text is { Length: > 0 and <= MessageParser.MaxIdLength })
                    return ListSubject.OfProfile(text);
                errors.Add("profileId", "must be a profile id (prf_...)");
                return null;
        }
    }

    /// <summary>An absolute http(s) URL in one canonical form, or null. No user info: it could disguise the host.</summary>
    public static string? NormalizeUrl(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxUrl
            || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp
            || uri.UserInfo.Length > 0 || uri.Host.Length == 0)
        {
            return null;
        }
        return uri.AbsoluteUri;
    }

    private static void UnknownKeys(JsonElement body, string[] known, string what, Errors errors)
    {
        foreach (var property in body.EnumerateObject().Where(p => !known.Contains(p.Name, StringComparer.Ordinal)))
            errors.Add(property.Name, $"is not {what}; use {string.Join(", ", known)}");
    }
}

/// <summary>Field errors collected while reading a request, for RFC 9457 validation problems.</summary>
internal sealed class Errors
{
    private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

    public bool Any => _byField.Count > 0;

    public void Add(string field, string message)
    {
        if (!_byField.TryGetValue(field, out var messages))
            _byField[field] = messages = [];
        messages.Add(message);
    }

    public Dictionary<string, string[]> ToDictionary() => _byField.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
