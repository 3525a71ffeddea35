using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Nudge.Core.Links;

/// <summary>
/// Signs and checks the values carried by links Nudge sends out (opt-in confirmations, preference centers,
/// unsubscribes, tracked clicks): HMAC-SHA256 over the purpose, the value and the expiry, so a link made for
/// one purpose or person cannot be bent to another, and a tampered link is refused in constant time.
/// </summary>
/// <remarks>A token reads <c>{expiry unix seconds, 0 for none}.{base64url MAC}</c>.</remarks>
public sealed class LinkSigner
{
    private readonly byte[] _secret;

    public LinkSigner(byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < 32)
            throw new ArgumentException("A link secret needs at least 32 bytes.", nameof(secret));
        _secret = secret;
    }

    /// <summary>A token for <paramref name="value"/> used for <paramref name="purpose"/>, valid until <paramref name="expires"/> (null: forever).</summary>
    public string Sign(string purpose, string value, DateTimeOffset? expires = null)
    {
        var expiry = expires?.ToUnixTimeSeconds() ?? 0;
        return expiry.ToString(CultureInfo.InvariantCulture) + "." + Base64Url.EncodeToString(Mac(purpose, value, expiry));
    }

    /// <summary>True when <paramref name="token"/> was made by <see cref="Sign"/> for this purpose and value and has not expired at <paramref name="now"/>.</summary>
    public bool Verify(string purpose, string value, string? token, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token))
            return false;
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var expiry))
            return false;

        byte[] given;
        try
        {
            given = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return false;
        }

        var valid = CryptographicOperations.FixedTimeEquals(given, Mac(purpose, value, expiry));
        return valid && (expiry == 0 || now.ToUnixTimeSeconds() < expiry);
    }

    private byte[] Mac(string purpose, string value, long expiry) =>
        HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes($"{purpose}\n{value}\n{expiry.ToString(CultureInfo.InvariantCulture)}"));
}
