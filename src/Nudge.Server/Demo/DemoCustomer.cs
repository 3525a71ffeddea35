namespace Nudge.Server.Demo;

/// <summary>A registered customer of the demo shop.</summary>
/// <param name="UserId">The shop's user id, <c>cust-00001</c> onwards.</param>
/// <param name="AnonymousId">The analytics cookie id of the customer's browser.</param>
/// <param name="Email">An address at <c>example.com</c>, which never receives mail.</param>
/// <param name="FirstName">Given name, typical for the customer's country.</param>
/// <param name="LastName">Family name, typical for the customer's country.</param>
/// <param name="Phone">
/// An E.164 mobile number for about one customer in five, unique among customers. All come from
/// Ofcom's range reserved for drama (+44 7700 900000 to 900999), so a demo can never text a real person.
/// </param>
/// <param name="Country">ISO 3166-1 alpha-2 country code.</param>
/// <param name="City">City within <paramref name="Country"/>.</param>
/// <param name="TimeZone">IANA time zone of <paramref name="City"/>.</param>
/// <param name="Locale">Browser locale, e.g. <c>de-DE</c>.</param>
/// <param name="Birthday">Date of birth, known for about 60% of customers.</param>
/// <param name="CreatedAt">
/// When the account was created. For accounts created within the generated six months, the sign-up
/// session starts at this moment and its <c>identify</c> call follows within minutes; older accounts
/// are signed in from their first message on.
/// </param>
public sealed record DemoCustomer(
    string UserId,
    string AnonymousId,
    string Email,
    string FirstName,
    string LastName,
    string? Phone,
    string Country,
    string City,
    string TimeZone,
    string Locale,
    DateOnly? Birthday,
    DateTimeOffset CreatedAt);
