using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Nudge.Channels.Push;

/// <summary>
/// Encrypts a push message for one subscription as RFC 8291 prescribes: an ECDH agreement between a fresh
/// application-server key and the browser's <c>p256dh</c> key, mixed with the browser's <c>auth</c> secret, gives
/// the content key of one <c>aes128gcm</c> record (RFC 8188). Pure: no clock, no I/O, and with a caller's key and
/// salt the output is deterministic (that is how the RFC's own example is reproduced in the tests).
/// </summary>
/// <remarks>
/// The whole message is one record written straight into the caller's buffer: the intermediate keys live on the
/// stack and the AES-GCM pass runs in place, so encrypting allocates nothing beyond the ECDH objects.
/// </remarks>
public static class WebPushEncryption
{
    /// <summary>Length of an uncompressed P-256 public key (0x04 || X || Y), as browsers give <c>p256dh</c>.</summary>
    public const int PublicKeyLength = 65;

    /// <summary>Length of the browser's <c>auth</c> secret.</summary>
    public const int AuthSecretLength = 16;

    /// <summary>Length of the random salt in the header.</summary>
    public const int SaltLength = 16;

    /// <summary>The record size the header announces (RFC 8291 section 4 uses 4096, as push services expect).</summary>
    public const int RecordSize = 4096;

    /// <summary>The header: salt, record size, key id length and the application server's public key.</summary>
    public const int HeaderLength = SaltLength + 4 + 1 + PublicKeyLength;

    private const int TagLength = 16;

    /// <summary>
    /// The largest payload that fits the 4096-byte body every push service must accept
    /// (4096 - 86 header - 16 tag - 1 delimiter).
    /// </summary>
    public const int MaxPayloadLength = RecordSize - HeaderLength - TagLength - 1;

    private static ReadOnlySpan<byte> KeyInfoLabel => "WebPush: info\0"u8;

    private static ReadOnlySpan<byte> ContentKeyInfo => "Content-Encoding: aes128gcm\0"u8;

    private static ReadOnlySpan<byte> NonceInfo => "Content-Encoding: nonce\0"u8;

    /// <summary>The length of the encrypted body for a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static int EncryptedLength(int payloadLength) => HeaderLength + payloadLength + 1 + TagLength;

    /// <summary>Encrypts <paramref name="payload"/> for a subscription with a fresh key and a random salt.</summary>
    /// <exception cref="ArgumentException">The payload is too long, or the subscription's keys are not valid.</exception>
    public static byte[] Encrypt(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> userAgentPublicKey, ReadOnlySpan<byte> authSecret)
    {
        using var serverKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        Span<byte> salt = stackalloc byte[SaltLength];
        RandomNumberGenerator.Fill(salt);
        var body = new byte[EncryptedLength(payload.Length)];
        Encrypt(payload, userAgentPublicKey, authSecret, serverKey, salt, body);
        return body;
    }

    /// <summary>
    /// Encrypts <paramref name="payload"/> into <paramref name="destination"/> (exactly
    /// <see cref="EncryptedLength"/> bytes) with the given application-server key and salt. Reusing a key and salt
    /// for two messages breaks the encryption: outside tests, call the overload that makes fresh ones.
    /// </summary>
    /// <exception cref="ArgumentException">A length is wrong, or <paramref name="userAgentPublicKey"/> is not a P-256 point.</exception>
    public static void Encrypt(
        ReadOnlySpan<byte> payload,
        ReadOnlySpan<byte> userAgentPublicKey,
        ReadOnlySpan<byte> authSecret,
        ECDiffieHellman applicationServerKey,
        ReadOnlySpan<byte> salt,
        Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(applicationServerKey);
        if (payload.Length > MaxPayloadLength)
            throw new ArgumentException($"A push payload may be at most {MaxPayloadLength} bytes; this one has {payload.Length}.", nameof(payload));
        if (authSecret.Length != AuthSecretLength)
            throw new ArgumentException($"The auth secret must be {AuthSecretLength} bytes.", nameof(authSecret));
        if (salt.Length != SaltLength)
            throw new ArgumentException($"The salt must be {SaltLength} bytes.", nameof(salt));
        if (destination.Length != EncryptedLength(payload.Length))
            throw new ArgumentException($"The destination must be {EncryptedLength(payload.Length)} bytes.", nameof(destination));

        Span<byte> serverPublicKey = stackalloc byte[PublicKeyLength];
        WritePublicKey(applicationServerKey, serverPublicKey);

        // ecdh_secret = ECDH(as_private, ua_public)
        Span<byte> ecdhSecret = stackalloc byte[32];
        using (var userAgentKey = ImportPublicKey(userAgentPublicKey))
        {
            var secret = applicationServerKey.DeriveRawSecretAgreement(userAgentKey.PublicKey);
            secret.CopyTo(ecdhSecret);
            CryptographicOperations.ZeroMemory(secret);
        }

        // PRK_key = HKDF-Extract(auth_secret, ecdh_secret); IKM = HKDF-Expand(PRK_key, key_info, 32)
        Span<byte> keyInfo = stackalloc byte[KeyInfoLabel.Length + 2 * PublicKeyLength];
        KeyInfoLabel.CopyTo(keyInfo);
        userAgentPublicKey.CopyTo(keyInfo[KeyInfoLabel.Length..]);
        serverPublicKey.CopyTo(keyInfo[(KeyInfoLabel.Length + PublicKeyLength)..]);
        Span<byte> prk = stackalloc byte[32];
        Span<byte> ikm = stackalloc byte[32];
        HKDF.Extract(HashAlgorithmName.SHA256, ecdhSecret, authSecret, prk);
        HKDF.Expand(HashAlgorithmName.SHA256, prk, ikm, keyInfo);

        // PRK = HKDF-Extract(salt, IKM); CEK and NONCE expand from it (RFC 8188 section 2.2 and 2.3).
        HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt, prk);
        Span<byte> contentKey = stackalloc byte[16];
        Span<byte> nonce = stackalloc byte[12];
        HKDF.Expand(HashAlgorithmName.SHA256, prk, contentKey, ContentKeyInfo);
        HKDF.Expand(HashAlgorithmName.SHA256, prk, nonce, NonceInfo);

        // Header: salt || rs (uint32, big-endian) || idlen || keyid (the server's public key).
        salt.CopyTo(destination);
        BinaryPrimitives.WriteUInt32BigEndian(destination[SaltLength..], RecordSize);
        destination[SaltLength + 4] = PublicKeyLength;
        serverPublicKey.CopyTo(destination[(SaltLength + 5)..]);

        // The one (and so last) record: payload || 0x02, no padding, sealed in place; the nonce of record 0 is NONCE itself.
        var record = destination.Slice(HeaderLength, payload.Length + 1);
        payload.CopyTo(record);
        record[^1] = 0x02;
        using (var aes = new AesGcm(contentKey, TagLength))
            aes.Encrypt(nonce, record, record, destination[^TagLength..]);

        CryptographicOperations.ZeroMemory(ecdhSecret);
        CryptographicOperations.ZeroMemory(prk);
        CryptographicOperations.ZeroMemory(ikm);
        CryptographicOperations.ZeroMemory(contentKey);
    }

    /// <summary>True when <paramref name="key"/> is an uncompressed point on P-256 (what a browser's <c>p256dh</c> must be).</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != PublicKeyLength || key[0] != 0x04)
            return false;
        try
        {
            using var imported = ImportPublicKey(key);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Writes the uncompressed public key (0x04 || X || Y) of a P-256 key.</summary>
    public static void WritePublicKey(ECDiffieHellman key, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parameters = key.ExportParameters(includePrivateParameters: false);
        WritePoint(parameters.Q, destination);
    }

    internal static void WritePoint(ECPoint point, Span<byte> destination)
    {
        destination[0] = 0x04;
        point.X.AsSpan().CopyTo(destination[1..]);
        point.Y.AsSpan().CopyTo(destination[33..]);
    }

    private static ECDiffieHellman ImportPublicKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != PublicKeyLength || key[0] != 0x04)
            throw new ArgumentException("A subscription's p256dh key must be a 65-byte uncompressed P-256 point.", nameof(key));
        try
        {
            // Import validates that the point is on the curve.
            return ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = key[1..33].ToArray(), Y = key[33..].ToArray() },
            });
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException("A subscription's p256dh key is not a point on P-256.", nameof(key), ex);
        }
    }
}
