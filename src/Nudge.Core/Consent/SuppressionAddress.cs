using Nudge.Core.Identity;

namespace Nudge.Core.Consent;

/// <summary>
/// The one spelling of an address per channel that suppressions are stored and looked up under, so that
/// "Ada@Example.com " and "ada@example.com" are one suppression.
/// </summary>
public static class SuppressionAddress
{
    /// <summary>Longest push endpoint accepted; browsers' endpoints are a few hundred characters.</summary>
    public const int MaxEndpointLength = 2048;

    /// <summary>
    /// The normalized address: a lower-case email, an E.164 phone number, or an absolute http(s) push endpoint;
    /// null when <paramref name="text"/> is not a valid address of <paramref name="channel"/>.
    /// </summary>
    /// <param name="channel">email, sms or push.</param>
    /// <param name="text">The address as given.</param>
    /// <param name="defaultRegion">Country for phone numbers without a country code.</param>
    public static string? Normalize(string channel, string? text, string? defaultRegion) => channel switch
    {
        ConsentChannels.Email => ContactNormalizer.Email(text),
        ConsentChannels.Sms => ContactNormalizer.Phone(text, defaultRegion),
        ConsentChannels.Push => Endpoint(text),
        _ => null,
    };

    /// <summary>What a valid address of <paramref name="channel"/> looks like, for error messages.</summary>
    public static string Expected(string channel) => channel switch
    {
        ConsentChannels.Email => "must be a valid email address",
        ConsentChannels.Sms => "must be a valid phone number (E.164, e.g. +4915112345678, or national with the workspace's default country)",
        _ => $"must be an absolute http(s) push endpoint URL of at most {MaxEndpointLength} characters",
    };

    private static string? Endpoint(string? text)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxEndpointLength
            || !Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }

        // Scheme and host in lower case, the path as the push service gave it (it is case-sensitive).
        return uri.AbsoluteUri;
    }
}
