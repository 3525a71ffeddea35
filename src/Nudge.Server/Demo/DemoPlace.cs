namespace Nudge.Server.Demo;

/// <summary>A city customers live in, with what follows from it.</summary>
/// <param name="StandardOffsetHours">UTC offset in winter; all these zones follow EU summer time.</param>
/// <param name="VatRate">Standard VAT rate charged on orders shipped there.</param>
/// <param name="Share">Relative share of customers.</param>
internal sealed record DemoPlace(
    string City,
    string Country,
    string TimeZone,
    string Locale,
    int StandardOffsetHours,
    decimal VatRate,
    double Share);
