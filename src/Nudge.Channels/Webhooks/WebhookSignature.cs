using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Nudge.Channels.Webhooks;

/// <summary>
/// Signs webhook sends so a receiver can tell they come from this Nudge and were not replayed. Two forms of the
/// same HMAC-SHA256 key:
/// <list type="bullet">
/// <item>Standard Webhooks: <c>webhook-id</c>, <c>webhook-timestamp</c> (Unix seconds) and
/// <c>webhook-signature: v1,&lt;base64 of HMAC-SHA256 over "{id}.{timestamp}.{body}"&gt;</c>, verifiable with the
/// published standardwebhooks libraries.</item>
/// <item>Stripe style: <c>X-Nudge-Signature: t=&lt;timestamp&gt;,v1=&lt;hex of HMAC-SHA256 over "{timestamp}.{body}"&gt;</c>,
/// for receivers that verify by hand.</item>
/// </list>
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string NudgeSignatureHeader = "X-Nudge-Signature";

    /// <summary>The prefix of a Standard Webhooks secret; the rest is the base64 key.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>A new random secret in the Standard Webhooks form (<c>whsec_</c> + base64 of 32 bytes).</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The HMAC key of a secret: the base64 after <c>whsec_</c>, or the UTF-8 bytes of any other text.</summary>
    public static byte[] Key(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            try
            {
                return Convert.FromBase64String(secret[SecretPrefix.Length..]);
            }
            catch (FormatException)
            {
                // Not base64 after all: the whole text is the key.
            }
        }
        return Encoding.UTF8.GetBytes(secret);
    }

    /// <summary>The <c>webhook-signature</c> value: <c>v1,</c> + base64 HMAC-SHA256 of "{id}.{timestamp}.{body}".</summary>
    public static string Standard(byte[] key, string id, long timestamp, ReadOnlySpan<byte> body) =>
        "v1," + Convert.ToBase64String(Hmac(key, $"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.", body));

    /// <summary>The <c>X-Nudge-Signature</c> value: <c>t={timestamp},v1=</c> + hex HMAC-SHA256 of "{timestamp}.{body}".</summary>
    public static string Nudge(byte[] key, long timestamp, ReadOnlySpan<byte> body)
    {
        var t = timestamp.ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Convert.ToHexStringLower(Hmac(key, t + ".", body))}";
    }

    private static byte[] Hmac(byte[] key, string prefix, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(prefix));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
