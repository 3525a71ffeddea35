using System.Buffers.Text;
using System.Security.Cryptography;

namespace Nudge.Channels.Push;

/// <summary>
/// A workspace's VAPID key pair (RFC 8292): a P-256 key whose public half browsers are given when they subscribe
/// (<c>applicationServerKey</c>) and whose private half signs every send, so a push service accepts messages for
/// those subscriptions only from this shop.
/// </summary>
/// <param name="PublicKey">The uncompressed public point (65 bytes), as browsers take it.</param>
/// <param name="PrivateKey">The private scalar (32 bytes). Never leaves the server.</param>
public sealed record VapidKeys(byte[] PublicKey, byte[] PrivateKey)
{
    /// <summary>The public key in base64url, the form browsers' <c>subscribe</c> and the <c>k=</c> parameter take.</summary>
    public string PublicKeyText => Base64Url.EncodeToString(PublicKey);

    /// <summary>A new random key pair.</summary>
    public static VapidKeys Generate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        var publicKey = new byte[WebPushEncryption.PublicKeyLength];
        WebPushEncryption.WritePoint(parameters.Q, publicKey);
        return new VapidKeys(publicKey, parameters.D!);
    }

    /// <summary>The pair stored as base64url texts (see <see cref="PublicKeyText"/> and <see cref="PrivateKeyText"/>).</summary>
    public static VapidKeys FromText(string publicKey, string privateKey) =>
        new(Base64Url.DecodeFromChars(publicKey), Base64Url.DecodeFromChars(privateKey));

    /// <summary>The private key in base64url, for storage only.</summary>
    public string PrivateKeyText => Base64Url.EncodeToString(PrivateKey);

    /// <summary>A signing key for ES256; the caller disposes it.</summary>
    public ECDsa ToSigningKey() => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = PublicKey[1..33], Y = PublicKey[33..] },
        D = PrivateKey,
    });

    /// <summary>Keeps the private key out of logs and exception messages.</summary>
    public override string ToString() => $"VapidKeys {{ PublicKey = {PublicKeyText} }}";
}
