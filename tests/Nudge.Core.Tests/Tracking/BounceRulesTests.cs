using Nudge.Core.Tracking;

namespace Nudge.Core.Tests.Tracking;

public sealed class BounceRulesTests
{
    [Theory]
    [InlineData("failed", "5.1.1", FeedbackKind.HardBounce)] // bad destination mailbox
    [InlineData("failed", "5.1.2", FeedbackKind.HardBounce)] // bad destination system
    [InlineData("failed", "5.2.1", FeedbackKind.HardBounce)] // mailbox disabled
    [InlineData("failed", "5.0.0", FeedbackKind.HardBounce)]
    [InlineData("failed", null, FeedbackKind.HardBounce)]
    [InlineData("failed", "5.2.2", FeedbackKind.SoftBounce)] // mailbox full
    [InlineData("failed", "5.7.1", FeedbackKind.SoftBounce)] // policy: not the address's fault
    [InlineData("failed", "4.2.2", FeedbackKind.SoftBounce)]
    [InlineData("Failed", "4.4.7 (delivery time expired)", FeedbackKind.SoftBounce)]
    [InlineData("delayed", "4.2.2", FeedbackKind.Delayed)]
    [InlineData("delivered", "2.0.0", FeedbackKind.Delivered)]
    [InlineData("relayed", "2.0.0", FeedbackKind.Delivered)]
    public void A_recipients_action_and_status_give_the_kind_of_feedback(string action, string? status, FeedbackKind expected)
    {
        Assert.Equal(expected, BounceRules.Classify(action, status));
    }

    [Theory]
    [InlineData("<3f2a9c0d1e4b5a6978877665544332211.nudge@shop.example>", null)]
    [InlineData("<3f2a9c0d1e4b5a697887766554433221.nudge@shop.example>", "3f2a9c0d1e4b5a697887766554433221")]
    [InlineData("3F2A9C0D1E4B5A697887766554433221.nudge@shop.example", "3f2a9c0d1e4b5a697887766554433221")]
    [InlineData("<CAF=abc@mail.gmail.com>", null)]
    public void A_message_ref_is_read_only_from_message_ids_nudge_made(string messageId, string? expected)
    {
        Assert.Equal(expected, MessageRef.FromMessageId(messageId));
    }

    [Fact]
    public void The_same_key_always_gives_the_same_ref()
    {
        Assert.Equal(MessageRef.Of("run_1:send"), MessageRef.Of("run_1:send"));
        Assert.NotEqual(MessageRef.Of("run_1:send"), MessageRef.Of("run_2:send"));
        Assert.True(MessageRef.IsRef(MessageRef.Of("run_1:send")));
    }
}
