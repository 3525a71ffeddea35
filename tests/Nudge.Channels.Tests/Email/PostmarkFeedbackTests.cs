using System.Text.Json;
using Nudge.Channels.Email.Postmark;
using Nudge.Core.Tracking;

namespace Nudge.Channels.Tests.Email;

/// <summary>Postmark's bounce, spam complaint and delivery webhooks, with bodies as Postmark documents them.</summary>
public sealed class PostmarkFeedbackTests
{
    [Fact]
    public void A_hard_bounce_webhook_is_a_hard_bounce_of_postmarks_message()
    {
        var report = PostmarkFeedback.Read(Json("""
            {"RecordType":"Bounce","MessageStream":"outbound","ID":4323372036854775807,"Type":"HardBounce","TypeCode":1,"Name":"Hard bounce",
             "Tag":"","MessageID":"883953f4-6105-42a2-a16a-77a8eac79483","ServerID":23,"Description":"The server was unable to deliver your message (ex: unknown user, mailbox not found).",
             "Details":"smtp;550 5.1.1 The email account that you tried to reach does not exist.","Email":"john@example.com","From":"sender@example.com",
             "BouncedAt":"2026-03-02T09:35:12Z","DumpAvailable":true,"Inactive":true,"CanActivate":true,"Subject":"Test subject"}
            """));

        Assert.Equal((FeedbackKind.HardBounce, "john@example.com", "883953f4-6105-42a2-a16a-77a8eac79483"), (report!.Kind, report.Recipient, report.ProviderMessageId));
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 35, 12, TimeSpan.Zero), report.At);
    }

    [Theory]
    [InlineData("""{"RecordType":"SpamComplaint","MessageID":"m1","Type":"SpamComplaint","TypeCode":100001,"Email":"ada@example.com"}""", FeedbackKind.Complaint)]
    [InlineData("""{"RecordType":"Bounce","MessageID":"m1","Type":"SoftBounce","TypeCode":4096,"Email":"ada@example.com"}""", FeedbackKind.SoftBounce)]
    [InlineData("""{"RecordType":"Delivery","MessageID":"m1","Recipient":"ada@example.com","DeliveredAt":"2026-03-02T09:31:05Z","Details":"Test delivery webhook details"}""", FeedbackKind.Delivered)]
    public void Complaints_soft_bounces_and_deliveries_are_read(string body, FeedbackKind kind)
    {
        var report = PostmarkFeedback.Read(Json(body));

        Assert.Equal((kind, "ada@example.com", "m1"), (report!.Kind, report.Recipient, report.ProviderMessageId));
    }

    [Theory]
    [InlineData("""{"RecordType":"Bounce","MessageID":"m1","Type":"AutoResponder","Email":"ada@example.com"}""")]
    [InlineData("""{"RecordType":"Open","MessageID":"m1","Recipient":"ada@example.com"}""")]
    public void Auto_replies_and_other_records_are_not_feedback(string body)
    {
        Assert.Null(PostmarkFeedback.Read(Json(body)));
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
