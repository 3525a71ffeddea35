using Nudge.Core.Delivery;
using static Nudge.Core.Tests.Delivery.Deliveries;

namespace Nudge.Core.Tests.Delivery;

public sealed class SmartSendingRuleTests
{
    [Fact]
    public void A_second_marketing_email_within_16_hours_is_skipped_naming_when_the_last_one_went()
    {
        var ada = Recipient.Ada.Sent(DeliveryChannels.Email, Utc(2026, 3, 2, 10, 40));

        var decision = Policy().Decide(Message(DeliveryChannels.Email), ada.Facts, Now);

        Assert.Equal(new DeliveryDecision(DeliveryVerdict.Skip, DeliveryRules.SmartSending,
            "Smart sending: an email already went to the person 3 h 20 min ago (2026-03-02 10:40 UTC); at most one every 16 h.",
            null), decision);
    }

    [Fact]
    public void The_reason_names_the_latest_of_several_earlier_emails()
    {
        var ada = Recipient.Ada.Sent(DeliveryChannels.Email, Utc(2026, 3, 2, 1, 0)).Sent(DeliveryChannels.Email, Utc(2026, 3, 2, 13, 15));

        var decision = Policy().Decide(Message(DeliveryChannels.Email), ada.Facts, Now);

        Assert.Contains("45 min ago (2026-03-02 13:15 UTC)", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_marketing_email_goes_once_16_hours_have_passed()
    {
        var ada = Recipient.Ada.Sent(DeliveryChannels.Email, Now.AddHours(-16));

        var decision = Policy().Decide(Message(DeliveryChannels.Email), ada.Facts, Now);

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void An_sms_within_24_hours_of_the_last_sms_is_skipped()
    {
        var ada = Recipient.Ada.SubscribedTo(DeliveryChannels.Sms).Sent(DeliveryChannels.Sms, Now.AddHours(-20));

        var decision = Policy().Decide(Message(DeliveryChannels.Sms), ada.Facts, Now);

        Assert.Equal((DeliveryVerdict.Skip, DeliveryRules.SmartSending), (decision.Verdict, decision.Rule));
        Assert.EndsWith("at most one every 1 day.", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_push_notification_within_24_hours_of_the_last_one_is_skipped()
    {
        var ada = Recipient.Ada.SubscribedTo(DeliveryChannels.Push).Sent(DeliveryChannels.Push, Now.AddHours(-23));

        var decision = Policy().Decide(Message(DeliveryChannels.Push), ada.Facts, Now);

        Assert.Equal(DeliveryRules.SmartSending, decision.Rule);
    }

    [Fact]
    public void Smart_sending_counts_only_messages_on_the_same_channel()
    {
        var ada = Recipient.Ada.SubscribedTo(DeliveryChannels.Sms).Sent(DeliveryChannels.Email, Now.AddHours(-1));

        var decision = Policy().Decide(Message(DeliveryChannels.Sms), ada.Facts, Now);

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void An_earlier_order_confirmation_does_not_hold_back_a_marketing_email()
    {
        var ada = Recipient.Ada.SentTransactional(DeliveryChannels.Email, Now.AddHours(-1));

        var decision = Policy().Decide(Message(DeliveryChannels.Email), ada.Facts, Now);

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void An_order_confirmation_goes_right_after_a_marketing_email()
    {
        var ada = Recipient.Ada.Sent(DeliveryChannels.Email, Now.AddMinutes(-10));

        var decision = Policy().Decide(Message(DeliveryChannels.Email, transactional: true), ada.Facts, Now);

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void A_flow_step_can_lengthen_the_window()
    {
        var ada = Recipient.Ada.Sent(DeliveryChannels.Email, Now.AddHours(-30));

        var decision = Policy().Decide(Message(DeliveryChannels.Email, smartSending: TimeSpan.FromHours(48)), ada.Facts, Now);

        Assert.Equal(DeliveryRules.SmartSending, decision.Rule);
        Assert.EndsWith("at most one every 2 days.", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flow_step_can_shorten_the_window()
    {
        var ada = Recipient.Ada.Sent(DeliveryChannels.Email, Now.AddHours(-3));

        var decision = Policy().Decide(Message(DeliveryChannels.Email, smartSending: TimeSpan.FromHours(2)), ada.Facts, Now);

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void A_flow_step_can_turn_smart_sending_off()
    {
        var ada = Recipient.Ada.Sent(DeliveryChannels.Email, Now.AddMinutes(-1));

        var decision = Policy().Decide(Message(DeliveryChannels.Email, smartSending: TimeSpan.Zero), ada.Facts, Now);

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void Webhooks_have_no_smart_sending()
    {
        var ada = Recipient.Ada.Sent(DeliveryChannels.Webhook, Now.AddMinutes(-1));

        var decision = Policy().Decide(Message(DeliveryChannels.Webhook), ada.Facts, Now);

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }
}
