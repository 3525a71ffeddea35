using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Nudge.Channels.Push;

namespace Nudge.Channels.Tests.Push;

public sealed class WebPushEncryptionTests
{
    // RFC 8291, section 5 and appendix A: the worked example, every input fixed.
    private const string Plaintext = "When I grow up, I want to be a watermelon";
    private const string ServerPublic = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    private const string ServerPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    private const string UserAgentPublic = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    private const string UserAgentPrivate = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    private const string Salt = "DGv6ra1nlYgDCS1FRnbzlw";
    private const string AuthSecret = "BTBZMqHH6r4Tts7J_aSIgg";
    private const string Expected =
        "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT" +
        "pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    [Fact]
    public void The_RFC_8291_example_encrypts_to_the_exact_message_the_RFC_shows()
    {
        using var serverKey = Key(ServerPublic, ServerPrivate);
        var payload = Encoding.UTF8.GetBytes(Plaintext);
        var body = new byte[WebPushEncryption.EncryptedLength(payload.Length)];

        WebPushEncryption.Encrypt(payload, Base64Url.DecodeFromChars(UserAgentPublic), Base64Url.DecodeFromChars(AuthSecret),
            serverKey, Base64Url.DecodeFromChars(Salt), body);

        Assert.Equal(Expected, Base64Url.EncodeToString(body));
    }

    [Fact]
    public void A_fresh_message_opens_with_the_browsers_private_key_and_nothing_else()
    {
        var payload = Encoding.UTF8.GetBytes("{\"title\":\"Your cart misses you\"}");

        var body = WebPushEncryption.Encrypt(payload, Base64Url.DecodeFromChars(UserAgentPublic), Base64Url.DecodeFromChars(AuthSecret));

        using var browser = Key(UserAgentPublic, UserAgentPrivate);
        Assert.Equal(payload, Aes128Gcm.Decrypt(body, browser, Base64Url.DecodeFromChars(AuthSecret)));
        Assert.Throws<AuthenticationTagMismatchException>(() => Aes128Gcm.Decrypt(body, browser, new byte[16]));
    }

    [Fact]
    public void Two_sends_of_the_same_payload_look_different_on_the_wire()
    {
        var payload = Encoding.UTF8.GetBytes("same");
        var first = WebPushEncryption.Encrypt(payload, Base64Url.DecodeFromChars(UserAgentPublic), Base64Url.DecodeFromChars(AuthSecret));
        var second = WebPushEncryption.Encrypt(payload, Base64Url.DecodeFromChars(UserAgentPublic), Base64Url.DecodeFromChars(AuthSecret));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void The_largest_payload_fills_the_4096_bytes_every_push_service_accepts()
    {
        var payload = new byte[WebPushEncryption.MaxPayloadLength];

        var body = WebPushEncryption.Encrypt(payload, Base64Url.DecodeFromChars(UserAgentPublic), Base64Url.DecodeFromChars(AuthSecret));

        Assert.Equal(4096, body.Length);
        Assert.Throws<ArgumentException>(() => WebPushEncryption.Encrypt(
            new byte[WebPushEncryption.MaxPayloadLength + 1], Base64Url.DecodeFromChars(UserAgentPublic), Base64Url.DecodeFromChars(AuthSecret)));
    }

    [Fact]
    public void A_key_that_is_not_a_point_on_P256_is_refused()
    {
        var notOnCurve = Base64Url.DecodeFromChars(UserAgentPublic);
        notOnCurve[40] ^= 0x01;

        Assert.True(WebPushEncryption.IsValidPublicKey(Base64Url.DecodeFromChars(UserAgentPublic)));
        Assert.False(WebPushEncryption.IsValidPublicKey(notOnCurve));
        Assert.False(WebPushEncryption.IsValidPublicKey(new byte[65]));
        Assert.Throws<ArgumentException>(() => WebPushEncryption.Encrypt([1, 2, 3], notOnCurve, Base64Url.DecodeFromChars(AuthSecret)));
    }

    private static ECDiffieHellman Key(string publicKey, string privateKey)
    {
        var q = Base64Url.DecodeFromChars(publicKey);
        return ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = q[1..33], Y = q[33..] },
            D = Base64Url.DecodeFromChars(privateKey),
        });
    }
}
