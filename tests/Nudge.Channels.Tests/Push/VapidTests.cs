using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Nudge.Channels.Push;

namespace Nudge.Channels.Tests.Push;

public sealed class VapidTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void The_token_verifies_with_the_public_key_a_browser_was_given()
    {
        var keys = VapidKeys.Generate();

        var token = Vapid.Token(keys, "https://fcm.googleapis.com", "mailto:shop@example.com", Now.AddHours(12));

        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        using var verifier = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = keys.PublicKey[1..33], Y = keys.PublicKey[33..] },
        });
        Assert.True(verifier.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256));
        using var other = VapidKeys.Generate().ToSigningKey();
        Assert.False(other.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256));
    }

    [Fact]
    public void The_token_names_the_push_service_origin_the_expiry_and_the_shops_contact()
    {
        var keys = VapidKeys.Generate();
        var audience = Vapid.Audience(new Uri("https://updates.push.services.mozilla.com:443/wpush/v2/gAAAAABn"));

        var token = Vapid.Token(keys, audience, "https://shop.example", Now.AddHours(12));

        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[0])).RootElement;
        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[1])).RootElement;
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.GetProperty("typ").GetString());
        Assert.Equal("https://updates.push.services.mozilla.com", claims.GetProperty("aud").GetString());
        Assert.Equal(Now.AddHours(12).ToUnixTimeSeconds(), claims.GetProperty("exp").GetInt64());
        Assert.Equal("https://shop.example", claims.GetProperty("sub").GetString());
    }

    [Fact]
    public void The_audience_keeps_a_non_default_port_and_drops_the_path()
    {
        Assert.Equal("http://127.0.0.1:8123", Vapid.Audience(new Uri("http://127.0.0.1:8123/push/abc?x=1")));
    }

    [Fact]
    public void The_header_carries_the_token_and_the_public_key()
    {
        var keys = VapidKeys.Generate();

        var header = Vapid.Authorization("a.b.c", keys);

        Assert.Equal($"vapid t=a.b.c, k={keys.PublicKeyText}", header);
        Assert.Equal(65, Base64Url.DecodeFromChars(keys.PublicKeyText).Length);
    }

    [Theory]
    [InlineData("mailto:shop@example.com", true)]
    [InlineData("https://shop.example/contact", true)]
    [InlineData("http://shop.example", false)]
    [InlineData("shop@example.com", false)]
    [InlineData("mailto:", false)]
    public void Only_mailto_and_https_contacts_are_accepted(string subject, bool valid)
    {
        Assert.Equal(valid, Vapid.IsValidSubject(subject));
        if (!valid)
            Assert.Throws<ArgumentException>(() => Vapid.Token(VapidKeys.Generate(), "https://push.example", subject, Now));
    }

    [Fact]
    public void Stored_keys_read_back_to_the_same_pair_and_never_print_the_private_half()
    {
        var keys = VapidKeys.Generate();

        var again = VapidKeys.FromText(keys.PublicKeyText, keys.PrivateKeyText);

        Assert.Equal(keys.PublicKey, again.PublicKey);
        Assert.Equal(keys.PrivateKey, again.PrivateKey);
        Assert.DoesNotContain(keys.PrivateKeyText, keys.ToString(), StringComparison.Ordinal);
    }
}
