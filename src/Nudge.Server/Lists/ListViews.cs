using System.Text.Json.Serialization;
using Nudge.Storage.Lists;

namespace Nudge.Server.Lists;

/// <summary>A static list as the API shows it.</summary>
/// <param name="Id">List id (<c>lst_...</c>).</param>
/// <param name="Name">Display name.</param>
/// <param name="Description">What the list is for.</param>
/// <param name="DoubleOptIn">True when the signup form sends a confirmation email and only the click joins.</param>
/// <param name="AllowedRedirects">Where the signup form may send people after signing up.</param>
/// <param name="SignupUrl">Where a signup form posts to.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="UpdatedAt">Last edit.</param>
public sealed record ListView(
    string Id, string Name, string? Description, bool DoubleOptIn, IReadOnlyList<string> AllowedRedirects, string SignupUrl,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ListView Of(ListRecord r, string publicBase) =>
        new(r.Id, r.Name, r.Description, r.DoubleOptIn, r.AllowedRedirects, $"{publicBase}/lists/{r.Id}/signup", r.CreatedAt, r.UpdatedAt);
}

/// <summary>What an admin sets on a list (create and replace).</summary>
/// <param name="Name">Required, 1–200 characters.</param>
/// <param name="Description">At most 2000 characters.</param>
/// <param name="DoubleOptIn">Default false.</param>
/// <param name="AllowedRedirects">Up to 20 absolute http(s) URLs the signup form may redirect to.</param>
public sealed record ListSettings(string Name, string? Description = null, bool? DoubleOptIn = null, IReadOnlyList<string>? AllowedRedirects = null);

/// <summary>Whom to add: exactly one of the three.</summary>
/// <param name="ProfileId">A profile of this workspace.</param>
/// <param name="Email">An email address; an unknown one creates the profile.</param>
/// <param name="UserId">The shop's customer id; an unknown one creates the profile.</param>
public sealed record AddMemberRequest(string? ProfileId = null, string? Email = null, string? UserId = null);

/// <summary>A member of a list.</summary>
public sealed record ListMemberView(string ProfileId, string? Email, DateTimeOffset JoinedAt);

/// <summary>A page of members; <paramref name="Next"/> is the <c>after</c> of the next page, null on the last.</summary>
public sealed record ListMembersPage(IReadOnlyList<ListMemberView> Members, string? Next);

/// <summary>A list a profile is on.</summary>
public sealed record ProfileListView(string ListId, string Name, DateTimeOffset JoinedAt);

/// <summary>How many members a list has.</summary>
public sealed record ListCountView(string ListId, long Count);

/// <summary>What a CSV import did.</summary>
/// <param name="Imported">Rows whose person joined the list.</param>
/// <param name="Skipped">Rows of people already on the list, and repeated rows.</param>
/// <param name="Errors">Rows that were not imported, with the reason (the first 1000).</param>
/// <param name="ErrorsNotShown">Further rows with errors beyond the first 1000.</param>
public sealed record ImportResult(int Imported, int Skipped, IReadOnlyList<ImportError> Errors, int ErrorsNotShown);

/// <summary>Why one row of an import was not imported.</summary>
/// <param name="Line">The line of the file where the row starts (the header is line 1).</param>
/// <param name="Field">The column at fault, or <c>row</c>.</param>
/// <param name="Message">What is wrong.</param>
public sealed record ImportError(long Line, string Field, string Message);

/// <summary>A signup as a shop page posts it (form fields or JSON).</summary>
/// <param name="Email">Required.</param>
/// <param name="FirstName">Optional.</param>
/// <param name="LastName">Optional.</param>
/// <param name="ConsentText">The consent wording the form shows, kept as evidence.</param>
/// <param name="Website">The honeypot: must stay empty (hidden from people, filled by bots).</param>
/// <param name="Redirect">Where to send the browser afterwards; must be one of the list's allowed redirects.</param>
public sealed record SignupRequest(
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("first_name")] string? FirstName = null,
    [property: JsonPropertyName("last_name")] string? LastName = null,
    [property: JsonPropertyName("consent_text")] string? ConsentText = null,
    [property: JsonPropertyName("website")] string? Website = null,
    [property: JsonPropertyName("redirect")] string? Redirect = null);

/// <summary>The answer to a signup sent as JSON.</summary>
/// <param name="Status"><c>pending</c>: a confirmation email is on its way (double opt-in); <c>subscribed</c>: on the list.</param>
public sealed record SignupReply(string Status);
