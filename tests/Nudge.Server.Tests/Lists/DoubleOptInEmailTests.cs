using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Nudge.Server.Tests.Support;
using Nudge.Storage.Keys;
using Nudge.Storage.Outbox;

namespace Nudge.Server.Tests.Lists;

/// <summary>Double opt-in through a real mailbox: the confirmation email goes over SMTP into smtp-sink, and its link is what makes the member.</summary>
public sealed partial class DoubleOptInEmailTests(NudgeWithSmtp nudge) : IClassFixture<NudgeWithSmtp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_link_in_the_delivered_confirmation_email_makes_the_member()
    {
        var list = await nudge.CreateListAsync("Newsletter", doubleOptIn: true);
        var email = $"{Some.Id("doi")}@example.com";
        using var browser = nudge.CreateClient();

        var signup = await browser.PostAsync($"/lists/{list}/signup", new FormUrlEncodedContent([new("email", email)]), Ct);

        Assert.Equal(HttpStatusCode.OK, signup.StatusCode);
        var mail = await DeliveredAsync(email);
        Assert.Contains("Newsletter", mail.Subject, StringComparison.Ordinal);
        Assert.NotNull(mail.Headers[HeaderId.DkimSignature]);
        Assert.Empty(await nudge.MembersUntilAsync(list, _ => true));

        var confirmed = await browser.GetAsync(ConfirmationLink().Match(mail.TextBody ?? "").Value, Ct);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(email, (string?)(await nudge.MembersUntilAsync(list, m => m.Count == 1)).Single()["email"]);
    }

    /// <summary>The confirmation email as the mailbox got it, once delivery recorded the relay's acceptance.</summary>
    private async Task<MimeMessage> DeliveredAsync(string email)
    {
        var workspace = (await nudge.Services.GetRequiredService<KeyStore>().FindAsync(NudgeApi.AdminKey, Ct))!.WorkspaceId;
        var outbox = nudge.Services.GetRequiredService<OutboxStore>();
        var sent = await Eventually.ReadUntilAsync(
            ct => outbox.ToRecipientAsync(workspace, email, ct), messages => messages.Any(m => m.Status == OutboxStatus.Sent), Ct);
        Assert.True(sent.Any(m => m.Status == OutboxStatus.Sent), "not sent: " + string.Join(", ", sent.Select(m => m.Status)));
        return nudge.Sink.MessageFiles().Select(f => MimeMessage.Load(f)).Single(m => m.To.Mailboxes.Any(a => a.Address == email));
    }

    [GeneratedRegex(@"http://localhost/lists/confirm/sgn_[0-9a-f]+\?token=[^\s""<]+")]
    private static partial Regex ConfirmationLink();
}
