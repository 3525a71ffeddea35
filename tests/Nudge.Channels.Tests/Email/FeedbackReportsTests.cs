using MimeKit;
using Nudge.Channels.Email.Feedback;
using Nudge.Core.Tracking;

namespace Nudge.Channels.Tests.Email;

/// <summary>Bounces (RFC 3464) and complaints (RFC 5965) as mail systems send them, read from the files under Email/Bounces.</summary>
public sealed class FeedbackReportsTests
{
    // MessageRef.Of("run_sample:send"): the samples quote a message Nudge sent under that key.
    private const string SampleRef = "f350e4ccc0154590d2f320885e09cf08";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_postfix_bounce_for_an_unknown_user_is_a_hard_bounce_of_the_message()
    {
        var report = Assert.Single(await ParseAsync("dsn-hard-5.1.1.eml"));

        Assert.Equal(FeedbackKind.HardBounce, report.Kind);
        Assert.Equal(("nobody@customer.example", "5.1.1", SampleRef), (report.Recipient, report.Status, report.MessageRef));
        Assert.Equal("550 5.1.1 <nobody@customer.example>: Recipient address rejected: User unknown in virtual mailbox table", report.Diagnostic);
        Assert.Equal($"<{SampleRef}.nudge@shop.example>", report.OriginalMessageId);
    }

    [Fact]
    public async Task A_full_mailbox_is_a_soft_bounce_found_through_the_returned_message()
    {
        var report = Assert.Single(await ParseAsync("dsn-soft-4.2.2.eml"));

        Assert.Equal((FeedbackKind.SoftBounce, "full@customer.example", "4.2.2", SampleRef), (report.Kind, report.Recipient, report.Status, report.MessageRef));
    }

    [Fact]
    public async Task An_arf_abuse_report_is_a_complaint_about_the_message_and_its_recipient()
    {
        var report = Assert.Single(await ParseAsync("arf-abuse.eml"));

        Assert.Equal((FeedbackKind.Complaint, "ada@customer.example", "abuse", SampleRef), (report.Kind, report.Recipient, report.Status, report.MessageRef));
    }

    [Fact]
    public async Task A_report_forwarded_as_an_attachment_is_still_read()
    {
        await using var file = Sample("dsn-hard-5.1.1.eml");
        var bounce = await MimeMessage.LoadAsync(file, Ct);
        var forward = new MimeMessage { Subject = "Fwd: Undelivered Mail Returned to Sender" };
        forward.From.Add(MailboxAddress.Parse("postmaster@shop.example"));
        forward.To.Add(MailboxAddress.Parse("bounces@nudge.example"));
        forward.Body = new Multipart("mixed") { new TextPart("plain") { Text = "see attached" }, new MessagePart { Message = bounce } };

        var report = Assert.Single(FeedbackReports.Parse(forward));

        Assert.Equal((FeedbackKind.HardBounce, SampleRef), (report.Kind, report.MessageRef));
    }

    [Fact]
    public void An_ordinary_message_holds_no_report()
    {
        var message = new MimeMessage { Subject = "Out of office", Body = new TextPart("plain") { Text = "I am away until Monday." } };

        Assert.Empty(FeedbackReports.Parse(message));
    }

    [Fact]
    public void A_sample_ref_is_the_ref_of_its_key()
    {
        Assert.Equal(SampleRef, MessageRef.Of("run_sample:send"));
    }

    private static async Task<IReadOnlyList<MailFeedbackReport>> ParseAsync(string name)
    {
        await using var file = Sample(name);
        return await FeedbackReports.ParseAsync(file, Ct);
    }

    private static FileStream Sample(string name) => File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Email", "Bounces", name));
}
