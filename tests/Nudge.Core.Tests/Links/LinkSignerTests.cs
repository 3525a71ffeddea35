using Nudge.Core.Links;

namespace Nudge.Core.Tests.Links;

public sealed class LinkSignerTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly LinkSigner _signer = new(new byte[32]);

    [Fact]
    public void A_signed_value_verifies()
    {
        var token = _signer.Sign("unsubscribe", "prf_1");

        Assert.True(_signer.Verify("unsubscribe", "prf_1", token, Now));
    }

    [Theory]
    [InlineData("unsubscribe", "prf_2")]
    [InlineData("preferences", "prf_1")]
    public void A_token_does_not_verify_another_value_or_purpose(string purpose, string value)
    {
        var token = _signer.Sign("unsubscribe", "prf_1");

        Assert.False(_signer.Verify(purpose, value, token, Now));
    }

    [Fact]
    public void A_token_stops_working_when_it_expires()
    {
        var token = _signer.Sign("confirm", "sub_1", Now.AddDays(2));

        Assert.True(_signer.Verify("confirm", "sub_1", token, Now.AddDays(2).AddSeconds(-1)));
        Assert.False(_signer.Verify("confirm", "sub_1", token, Now.AddDays(2)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0.")]
    [InlineData("garbage")]
    [InlineData("0.!!!")]
    public void A_malformed_token_is_refused(string token)
    {
        Assert.False(_signer.Verify("unsubscribe", "prf_1", token, Now));
    }

    [Fact]
    public void A_token_signed_with_another_secret_is_refused()
    {
        var other = new LinkSigner(Enumerable.Repeat((byte)7, 32).ToArray());

        Assert.False(_signer.Verify("unsubscribe", "prf_1", other.Sign("unsubscribe", "prf_1"), Now));
    }

    [Fact]
    public void Moving_the_expiry_breaks_the_signature()
    {
        var token = _signer.Sign("confirm", "sub_1", Now.AddDays(1));
        var stretched = (Now.AddDays(30).ToUnixTimeSeconds()) + token[token.IndexOf('.', StringComparison.Ordinal)..];

        Assert.False(_signer.Verify("confirm", "sub_1", stretched, Now));
    }
}
