using System.Net.Mail;
using PhoneNumbers;

namespace Nudge.Core.Identity;

/// <summary>Normalizes emails (trimmed, lower case, valid) and phone numbers (E.164).</summary>
public static class ContactNormalizer
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>Returns the normalized address, or null when it is not a valid email address.</summary>
    public static string? Email(string? text)
    {
        var trimmed = text?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 254 || trimmed.Contains(' ', StringComparison.Ordinal))
            return null;

        return MailAddress.TryCreate(trimmed, out var address)
            && address.Address == trimmed
            && address.Host.Contains('.', StringComparison.Ordinal)
            ? trimmed
            : null;
    }

    /// <summary>Returns the number in E.164 (+4930123456), or null when it is not a valid phone number.</summary>
    /// <param name="text">The number as given.</param>
    /// <param name="defaultRegion">ISO country used for numbers without a country code (e.g. "DE").</param>
    public static string? Phone(string? text, string? defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;

        try
        {
            var number = Phones.Parse(text, defaultRegion?.ToUpperInvariant() ?? "ZZ");
            return Phones.IsValidNumber(number) ? Phones.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
