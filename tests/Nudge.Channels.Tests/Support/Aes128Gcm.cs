using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Nudge.Channels.Tests;

/// <summary>
/// What a browser does with a push message (RFC 8291 from the receiving side), written independently of the
/// encryptor so a round trip proves something; the RFC vector and the npm library check the encryptor itself.
/// </summary>
public static class Aes128Gcm
{
    public static byte[] Decrypt(byte[] body, ECDiffieHellman browserKey, byte[] authSecret)
    {
        var salt = body[..16];
        var recordSize = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16));
        var idLength = body[20];
        var serverPublic = body[21..(21 + idLength)];
        var record = body[(21 + idLength)..];
        Assert.True(record.Length <= recordSize);

        using var server = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = serverPublic[1..33], Y = serverPublic[33..] },
        });
        var ecdh = browserKey.DeriveRawSecretAgreement(server.PublicKey);
        var browserPublic = browserKey.ExportParameters(false).Q;
        byte[] keyInfo = [.. "WebPush: info\0"u8, 0x04, .. browserPublic.X!, .. browserPublic.Y!, .. serverPublic];
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, ecdh, 32, authSecret, keyInfo);
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt);
        var cek = HKDF.Expand(HashAlgorithmName.SHA256, prk, 16, "Content-Encoding: aes128gcm\0"u8.ToArray());
        var nonce = HKDF.Expand(HashAlgorithmName.SHA256, prk, 12, "Content-Encoding: nonce\0"u8.ToArray());

        var plain = new byte[record.Length - 16];
        using var aes = new AesGcm(cek, 16);
        aes.Decrypt(nonce, record[..^16], record[^16..], plain);
        // The last record ends with 0x02 and optional zero padding before it.
        var end = Array.LastIndexOf(plain, (byte)0x02);
        Assert.True(end >= 0 && plain[(end + 1)..].All(b => b == 0));
        return plain[..end];
    }
}
