using System.Text.Json;
using Microsoft.Extensions.Options;
using Nudge.Core.Identity;
using Nudge.Server.Ingestion;
using Nudge.Storage.Lists;

namespace Nudge.Server.Lists;

/// <summary>
/// The public side of lists: the endpoint a shop page's signup form posts to, and the confirmation links of double
/// opt-in emails. No key: rate limited per client address instead, with a honeypot against bots.
/// </summary>
public static class SignupApi
{
    private const int MaxName = 200;
    private const int MaxConsentText = 2000;
    private const int MaxUserAgent = 500;

    public static IEndpointRouteBuilder MapListSignupApi(this IEndpointRouteBuilder app)
    {
        var lists = app.MapGroup("/lists").WithTags("Signup form").RequireRateLimiting(ListRateLimits.Policy);
        lists.MapPost("/{listId}/signup", SignupAsync).RequireCors(IngestionCors.Policy)
            .WithSummary("Sign up to a list from a shop page (form fields or JSON)")
            .WithDescription("Answers JSON to JSON requests, a small HTML page to form posts, and 303 See Other when the form names " +
                "one of the list's allowed redirects. A filled honeypot field gets the same answer and stores nothing.")
            .Accepts<SignupRequest>("application/x-www-form-urlencoded", "application/json")
            .Produces<SignupReply>().Produces(StatusCodes.Status303SeeOther)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);
        lists.MapGet("/confirm/{signupId}", ConfirmAsync)
            .WithSummary("The link in a double opt-in email: confirms the address and joins the list")
            .Produces<string>(contentType: "text/html").Produces<string>(StatusCodes.Status400BadRequest, "text/html")
            .Produces<string>(StatusCodes.Status410Gone, "text/html").ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<IResult> SignupAsync(
        HttpContext http, string listId, ListStore store, ListSignups signups, IOptions<ListOptions> options, CancellationToken ct)
    {
        if (await store.FindAsync(listId, ct) is not { } list)
        {
            return TypedResults.Problem(detail: $"no list with id '{listId}'", statusCode: 404, title: "Not found",
                extensions: new Dictionary<string, object?> { ["field"] = "listId" });
        }

        var errors = new Errors();
        var fields = await ReadFieldsAsync(http.Request, errors, ct);
        var redirect = RedirectOf(list, Field(fields, "redirect"), errors);
        var json = !http.Request.HasFormContentType || http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType == "application/json");

        // A bot filled in the field people never see: it gets the answer a person would get, and nothing is stored.
        if (Field(fields, "website") is not null)
            return Reply(http, list, subscribed: !list.DoubleOptIn, json, errors.Any ? null : redirect);

        if (errors.Any || Read(fields, http, errors) is not { } input)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(),
                detail: "Nothing was saved. Fix the fields listed in errors and send the form again.", title: "Invalid signup");
        }
        var subscribed = await signups.SignupAsync(list, input, options.Value.PublicBase(http.Request), ct);
        return Reply(http, list, subscribed, json, redirect);
    }

    private static async Task<IResult> ConfirmAsync(HttpContext http, string signupId, string? token, ListSignups signups, CancellationToken ct)
    {
        var (outcome, listName) = await signups.ConfirmAsync(signupId, token, http.Connection.RemoteIpAddress?.ToString(), ct);
        return outcome switch
        {
            Confirmation.Confirmed => ListPages.Confirmed(http, listName!),
            Confirmation.AlreadyConfirmed => ListPages.AlreadyConfirmed(http),
            Confirmation.Expired => ListPages.ExpiredLink(http),
            Confirmation.ListGone => ListPages.ListGone(http),
            _ => ListPages.InvalidLink(http),
        };
    }

    private static IResult Reply(HttpContext http, ListRecord list, bool subscribed, bool json, string? redirect)
    {
        if (redirect is not null)
        {
            // 303: the browser follows with a GET, whatever the form's method was.
            http.Response.Headers.Location = redirect;
            return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
        }
        if (json)
            return TypedResults.Ok(new SignupReply(subscribed ? "subscribed" : "pending"));
        return subscribed ? ListPages.Subscribed(http, list.Name) : ListPages.CheckInbox(http, list.Name);
    }

    /// <summary>The redirect asked for when it is one the list allows; anything else is an error, never followed.</summary>
    private static string? RedirectOf(ListRecord list, string? asked, Errors errors)
    {
        if (asked is null)
            return null;
        if (ListRequests.NormalizeUrl(asked) is { } url && list.AllowedRedirects.Contains(url, StringComparer.Ordinal))
            return url;
        errors.Add("redirect", "is not one of the addresses this list may redirect to");
        return null;
    }

    private static SignupInput? Read(Dictionary<string, string> fields, HttpContext http, Errors errors)
    {
        var emailText = Field(fields, "email");
        var email = ContactNormalizer.Email(emailText);
        if (email is null)
            errors.Add("email", emailText is null ? "is required" : "must be a valid email address");
        var firstName = Field(fields, "first_name");
        if (firstName is { Length: > MaxName })
            errors.Add("first_name", $"must be at most {MaxName} characters");
        var lastName = Field(fields, "last_name");
        if (lastName is { Length: > MaxName })
            errors.Add("last_name", $"must be at most {MaxName} characters");
        var consentText = Field(fields, "consent_text");
        if (consentText is { Length: > MaxConsentText })
            errors.Add("consent_text", $"must be at most {MaxConsentText} characters");
        if (errors.Any)
            return null;

        var userAgent = http.Request.Headers.UserAgent.ToString();
        return new SignupInput(email!, firstName, lastName, consentText, http.Connection.RemoteIpAddress?.ToString(),
            userAgent.Length == 0 ? null : userAgent[..Math.Min(userAgent.Length, MaxUserAgent)]);
    }

    /// <summary>The form's fields, from a form post or a JSON object of texts.</summary>
    private static async Task<Dictionary<string, string>> ReadFieldsAsync(HttpRequest request, Errors errors, CancellationToken ct)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync(ct))
                fields[key] = value.ToString();
            return fields;
        }

        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            errors.Add("body", "must be form fields or a JSON object");
            return fields;
        }
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "must be form fields or a JSON object");
            return fields;
        }
        foreach (var property in body.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String)
                fields[property.Name] = property.Value.GetString()!;
            else if (property.Value.ValueKind != JsonValueKind.Null)
                errors.Add(property.Name, "must be a text");
        }
        return fields;
    }

    private static string? Field(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) && value.Trim() is { Length: > 0 } trimmed ? trimmed : null;
}
