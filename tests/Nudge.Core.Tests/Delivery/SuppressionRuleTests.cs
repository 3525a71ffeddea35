using Nudge.Core.Delivery;
using static Nudge.Core.Tests.Delivery.Deliveries;

namespace Nudge.Core.Tests.Delivery;

public sealed class SuppressionRuleTests
{
    [Fact]
    public void A_suppressed_email_address_gets_no_email_even_with_consent()
    {
        var ada = Recipient.Ada.SubscribedTo(DeliveryChannels.Email).SuppressedOn(DeliveryChannels.Email);

        var decision = Policy().Decide(Message(DeliveryChannels.Email), ada.Facts, Now);

        Assert.Equal(new DeliveryDecision(DeliveryVerdict.Skip, DeliveryRules.Suppression,
            "The person's email address is on the suppression list.", null), decision);
    }

    [Fact]
    public void An_order_confirmation_to_a_suppressed_address_is_skipped()
    {
        var ada = Recipient.Ada.SuppressedOn(DeliveryChannels.Email);

        var decision = Policy().Decide(Message(DeliveryChannels.Email, transactional: true), ada.Facts, Now);

        Assert.Equal((DeliveryVerdict.Skip, DeliveryRules.Suppression), (decision.Verdict, decision.Rule));
    }

    [Fact]
    public void A_suppressed_phone_number_is_named_in_the_reason()
    {
        var ada = Recipient.Ada.SubscribedTo(DeliveryChannels.Sms).SuppressedOn(DeliveryChannels.Sms);

        var decision = Policy().Decide(Message(DeliveryChannels.Sms), ada.Facts, Now);

        Assert.Equal("The person's phone number is on the suppression list.", decision.Reason);
    }

    [Fact]
    public void A_suppression_on_one_channel_does_not_stop_another()
    {
        var ada = Recipient.Ada.SubscribedTo(DeliveryChannels.Sms).SuppressedOn(DeliveryChannels.Email);

        var decision = Policy().Decide(Message(DeliveryChannels.Sms), ada.Facts, Now);

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }
}
