using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Nudge.Channels.Push;

/// <summary>
/// Voluntary Application Server Identification (RFC 8292): a short-lived ES256 JWT naming the push service's origin
/// (<c>aud</c>), an expiry (<c>exp</c>, at most 24 hours ahead) and a contact (<c>sub</c>, mailto: or https:), sent as
/// <c>Authorization: vapid t=&lt;jwt&gt;, k=&lt;public key&gt;</c>.
/// </summary>
public static class Vapid
{
    /// <summary>The longest a token may live (RFC 8292 section 2: push services reject an <c>exp</c> further than 24 hours ahead).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    // {"typ":"JWT","alg":"ES256"}, always the same.
    private static readonly string Header = Base64Url.EncodeToString("{\"typ\":\"JWT\",\"alg\":\"ES256\"}"u8);

    /// <summary>The audience of an endpoint: its origin (scheme, host and a non-default port), no path.</summary>
    public static string Audience(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>True for a contact a push service accepts as <c>sub</c>: a mailto: address or an https: URL.</summary>
    public static bool IsValidSubject(string? subject) =>
        subject is not null
        && ((subject.StartsWith("mailto:", StringComparison.Ordinal) && subject.Length > "mailto:".Length && subject.Contains('@', StringComparison.Ordinal))
            || (Uri.TryCreate(subject, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps));

    /// <summary>A signed token for <paramref name="audience"/> that expires at <paramref name="expiresAt"/>.</summary>
    /// <exception cref="ArgumentException">The subject is not mailto:/https:.</exception>
    public static string Token(VapidKeys keys, string audience, string subject, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (!IsValidSubject(subject))
            throw new ArgumentException("The VAPID subject must be a mailto: address or an https: URL.", nameof(subject));

        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["aud"] = audience,
            ["exp"] = expiresAt.ToUnixTimeSeconds(),
            ["sub"] = subject,
        };
        var signingInput = Header + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));
        using var key = keys.ToSigningKey();
        // JWS ES256 wants r || s (IEEE P1363), which is .NET's default signature format.
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The <c>Authorization</c> header value for a token.</summary>
    public static string Authorization(string token, VapidKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return string.Create(CultureInfo.InvariantCulture, $"vapid t={token}, k={keys.PublicKeyText}");
    }
}
