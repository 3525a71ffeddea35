using Nudge.Core.Delivery;
using static Nudge.Core.Tests.Delivery.Deliveries;

namespace Nudge.Core.Tests.Delivery;

public sealed class ConsentRuleTests
{
    [Fact]
    public void A_marketing_email_goes_to_a_person_who_never_subscribed()
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Email), Recipient.Ada.Facts, Now);

        Assert.Equal(new DeliveryDecision(DeliveryVerdict.Send, DeliveryRules.Ok,
            "Passed consent, suppression, smart sending, frequency caps and quiet hours.", null), decision);
    }

    [Fact]
    public void A_marketing_email_is_skipped_once_the_person_unsubscribed_from_email()
    {
        var ada = Recipient.Ada.UnsubscribedFrom(DeliveryChannels.Email, Utc(2026, 2, 20, 8, 15));

        var decision = Policy().Decide(Message(DeliveryChannels.Email), ada.Facts, Now);

        Assert.Equal(new DeliveryDecision(DeliveryVerdict.Skip, DeliveryRules.Consent,
            "The person unsubscribed from email on 2026-02-20 08:15 UTC.", null), decision);
    }

    [Fact]
    public void A_marketing_sms_needs_an_sms_subscription()
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Sms), Recipient.Ada.Facts, Now);

        Assert.Equal(DeliveryVerdict.Skip, decision.Verdict);
        Assert.Equal(DeliveryRules.Consent, decision.Rule);
        Assert.Equal("The person never subscribed to SMS, and marketing by SMS needs a subscription.", decision.Reason);
    }

    [Fact]
    public void A_marketing_sms_goes_to_a_person_who_subscribed_to_sms()
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Sms), Recipient.Ada.SubscribedTo(DeliveryChannels.Sms).Facts, Now);

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void A_marketing_push_notification_needs_a_push_subscription()
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Push), Recipient.Ada.Facts, Now);

        Assert.Equal((DeliveryVerdict.Skip, DeliveryRules.Consent), (decision.Verdict, decision.Rule));
    }

    [Fact]
    public void Email_needs_a_subscription_when_the_shop_requires_opt_in()
    {
        var policy = Policy(new DeliveryPolicySettings { ChannelsWithoutOptIn = [] });

        var decision = policy.Decide(Message(DeliveryChannels.Email), Recipient.Ada.Facts, Now);

        Assert.Equal("The person never subscribed to email, and marketing by email needs a subscription.", decision.Reason);
    }

    [Fact]
    public void An_order_confirmation_email_goes_to_a_person_who_unsubscribed_from_marketing_email()
    {
        var ada = Recipient.Ada.UnsubscribedFrom(DeliveryChannels.Email, Utc(2026, 2, 20, 8, 15));

        var decision = Policy().Decide(Message(DeliveryChannels.Email, transactional: true), ada.Facts, Now);

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void A_transactional_sms_goes_without_an_sms_subscription()
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Sms, transactional: true), Recipient.Ada.Facts, Now);

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void A_transactional_sms_is_skipped_after_the_person_texted_stop()
    {
        var ada = Recipient.Ada.UnsubscribedFrom(DeliveryChannels.Sms, Utc(2026, 3, 1, 18, 0));

        var decision = Policy().Decide(Message(DeliveryChannels.Sms, transactional: true), ada.Facts, Now);

        Assert.Equal(new DeliveryDecision(DeliveryVerdict.Skip, DeliveryRules.Consent,
            "The person unsubscribed from SMS on 2026-03-01 18:00 UTC; that stops transactional SMS messages too.", null), decision);
    }

    [Fact]
    public void A_transactional_push_notification_is_skipped_after_the_person_withdrew_push()
    {
        var ada = Recipient.Ada.UnsubscribedFrom(DeliveryChannels.Push, Utc(2026, 3, 1, 18, 0));

        var decision = Policy().Decide(Message(DeliveryChannels.Push, transactional: true), ada.Facts, Now);

        Assert.Equal((DeliveryVerdict.Skip, DeliveryRules.Consent), (decision.Verdict, decision.Rule));
    }

    [Fact]
    public void A_webhook_needs_no_consent()
    {
        var ada = Recipient.Ada.UnsubscribedFrom(DeliveryChannels.Email, Utc(2026, 2, 20, 8, 15))
            .UnsubscribedFrom(DeliveryChannels.Sms, Utc(2026, 2, 20, 8, 15));

        var decision = Policy().Decide(Message(DeliveryChannels.Webhook), ada.Facts, Now);

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }
}
