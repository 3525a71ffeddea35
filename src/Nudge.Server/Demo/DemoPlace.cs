namespace Nudge.Server.Demo;

/// <summary>
/// A city customers live in, with what follows from it: time zone, browser locale, the winter UTC offset
/// (all these zones follow EU summer time), the VAT rate charged on orders shipped there, and its
/// relative share of customers.
/// </summary>
internal sealed record DemoPlace(
    string City,
    string Country,
    string TimeZone,
    string Locale,
    int StandardOffsetHours,
    decimal VatRate,
    double Share);
