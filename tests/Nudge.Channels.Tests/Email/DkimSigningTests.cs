using MimeKit;
using MimeKit.Cryptography;
using Nudge.Channels.Email;
using Nudge.Channels.Tests.Support;

namespace Nudge.Channels.Tests.Email;

public sealed class DkimSigningTests : IDisposable
{
    private readonly TestDkimKey _key = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _key.Dispose();

    [Fact]
    public async Task A_signed_message_read_back_from_its_bytes_verifies()
    {
        var message = await RoundTripAsync(Composer().Compose(Some.Email()));

        Assert.True(await new DkimVerifier(_key).VerifyAsync(message, Signature(message), Ct));
    }

    [Fact]
    public async Task A_changed_body_no_longer_verifies()
    {
        var message = await RoundTripAsync(Composer().Compose(Some.Email()));
        var text = ((Multipart)message.Body!).OfType<TextPart>().First();
        text.Text = "Hello Ada, this is not what was signed.";

        Assert.False(await new DkimVerifier(_key).VerifyAsync(message, Signature(message), Ct));
    }

    [Fact]
    public void A_message_from_a_domain_without_a_key_is_not_signed()
    {
        var message = Composer().Compose(Some.Email(from: "Other <hello@other.example>"));

        Assert.Equal(-1, message.Headers.IndexOf(HeaderId.DkimSignature));
    }

    [Fact]
    public void The_same_message_key_always_gives_the_same_message_id()
    {
        var first = Composer().Compose(Some.Email(key: "run_1:step_2"));
        var again = Composer().Compose(Some.Email(key: "run_1:step_2"));
        var other = Composer().Compose(Some.Email(key: "run_1:step_3"));

        Assert.Equal(first.MessageId, again.MessageId);
        Assert.NotEqual(first.MessageId, other.MessageId);
        Assert.EndsWith("@shop.example", first.MessageId, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_unsubscribe_link_there_are_no_list_headers()
    {
        var message = Composer().Compose(Some.Email() with { OneClickUnsubscribe = null });

        Assert.Equal((-1, -1), (message.Headers.IndexOf(HeaderId.ListUnsubscribe), message.Headers.IndexOf(HeaderId.ListUnsubscribePost)));
    }

    private EmailComposer Composer() => new(new DkimSigning([_key.Options], TimeProvider.System), TimeProvider.System, "unsubscribe@shop.example");

    private static Header Signature(MimeMessage message) => message.Headers[message.Headers.IndexOf(HeaderId.DkimSignature)];

    private static async Task<MimeMessage> RoundTripAsync(MimeMessage message)
    {
        using var bytes = new MemoryStream();
        await message.WriteToAsync(bytes, Ct);
        bytes.Position = 0;
        return await MimeMessage.LoadAsync(bytes, Ct);
    }
}
