using System.Security.Cryptography;
using System.Text;
using Nudge.Core.Connectors;

namespace Nudge.Server.Connectors;

/// <summary>
/// Checks that a webhook body was signed by the shop: an HMAC-SHA256 of the raw body with the connector's secret, in the
/// header and encoding each platform uses, compared in constant time.
/// </summary>
public static class WebhookSignatures
{
    public const string ShopifyHeader = "X-Shopify-Hmac-Sha256";
    public const string WooCommerceHeader = "X-WC-Webhook-Signature";
    public const string ShopwareHeader = "shopware-shop-signature";

    /// <summary>The header that carries the signature on this platform.</summary>
    public static string Header(ShopPlatform platform) => platform switch
    {
        ShopPlatform.Shopify => ShopifyHeader,
        ShopPlatform.WooCommerce => WooCommerceHeader,
        ShopPlatform.Shopware => ShopwareHeader,
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };

    /// <summary>The signature the shop would send for this body (base64 for Shopify and WooCommerce, lower-case hex for Shopware).</summary>
    public static string Sign(ShopPlatform platform, string secret, ReadOnlySpan<byte> body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return platform == ShopPlatform.Shopware ? Convert.ToHexStringLower(mac) : Convert.ToBase64String(mac);
    }

    /// <summary>True when <paramref name="signature"/> is the body's signature with the secret.</summary>
    public static bool IsValid(ShopPlatform platform, string secret, ReadOnlySpan<byte> body, string? signature)
    {
        if (string.IsNullOrWhiteSpace(signature))
            return false;
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        var given = Decode(platform, signature.Trim());
        // FixedTimeEquals answers false at once for a different length, which tells an attacker only the length of a SHA-256.
        return given is not null && CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static byte[]? Decode(ShopPlatform platform, string signature)
    {
        try
        {
            return platform == ShopPlatform.Shopware ? Convert.FromHexString(signature) : Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
