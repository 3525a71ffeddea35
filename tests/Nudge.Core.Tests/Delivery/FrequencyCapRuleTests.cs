using Nudge.Core.Delivery;
using static Nudge.Core.Tests.Delivery.Deliveries;

namespace Nudge.Core.Tests.Delivery;

public sealed class FrequencyCapRuleTests
{
    private static readonly Recipient _threeEmailsThisWeek = Recipient.Ada
        .Sent(DeliveryChannels.Email, Now.AddDays(-1))
        .Sent(DeliveryChannels.Email, Now.AddDays(-3))
        .Sent(DeliveryChannels.Email, Now.AddDays(-6));

    [Fact]
    public void A_fourth_marketing_email_within_7_days_is_skipped()
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Email), _threeEmailsThisWeek.Facts, Now);

        Assert.Equal(new DeliveryDecision(DeliveryVerdict.Skip, DeliveryRules.FrequencyCap,
            "Frequency cap: 3 marketing emails already went to the person in the last 7 days; at most 3.", null), decision);
    }

    [Fact]
    public void A_third_marketing_email_within_7_days_goes()
    {
        var ada = Recipient.Ada.Sent(DeliveryChannels.Email, Now.AddDays(-1)).Sent(DeliveryChannels.Email, Now.AddDays(-3));

        var decision = Policy().Decide(Message(DeliveryChannels.Email), ada.Facts, Now);

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void Emails_older_than_7_days_do_not_count()
    {
        var ada = Recipient.Ada
            .Sent(DeliveryChannels.Email, Now.AddDays(-1))
            .Sent(DeliveryChannels.Email, Now.AddDays(-3))
            .Sent(DeliveryChannels.Email, Now.AddDays(-7));

        var decision = Policy().Decide(Message(DeliveryChannels.Email), ada.Facts, Now);

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void Order_confirmations_do_not_count_toward_the_cap()
    {
        var ada = Recipient.Ada
            .Sent(DeliveryChannels.Email, Now.AddDays(-1))
            .Sent(DeliveryChannels.Email, Now.AddDays(-3))
            .SentTransactional(DeliveryChannels.Email, Now.AddDays(-4));

        var decision = Policy().Decide(Message(DeliveryChannels.Email), ada.Facts, Now);

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void An_order_confirmation_goes_when_the_cap_is_reached()
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Email, transactional: true), _threeEmailsThisWeek.Facts, Now);

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void The_default_cap_leaves_other_channels_alone()
    {
        var ada = Recipient.Ada.SubscribedTo(DeliveryChannels.Sms)
            .Sent(DeliveryChannels.Sms, Now.AddDays(-2))
            .Sent(DeliveryChannels.Sms, Now.AddDays(-3))
            .Sent(DeliveryChannels.Sms, Now.AddDays(-4));

        var decision = Policy().Decide(Message(DeliveryChannels.Sms), ada.Facts, Now);

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void A_shop_can_cap_another_channel()
    {
        var policy = Policy(new DeliveryPolicySettings { FrequencyCaps = [new FrequencyCap(DeliveryChannels.Sms, 2, TimeSpan.FromDays(30))] });
        var ada = Recipient.Ada.SubscribedTo(DeliveryChannels.Sms)
            .Sent(DeliveryChannels.Sms, Now.AddDays(-3))
            .Sent(DeliveryChannels.Sms, Now.AddDays(-20));

        var decision = policy.Decide(Message(DeliveryChannels.Sms), ada.Facts, Now);

        Assert.Equal("Frequency cap: 2 marketing SMS already went to the person in the last 30 days; at most 2.", decision.Reason);
    }

    [Fact]
    public void Without_caps_a_fourth_email_goes()
    {
        var policy = Policy(new DeliveryPolicySettings { FrequencyCaps = [] });

        var decision = policy.Decide(Message(DeliveryChannels.Email), _threeEmailsThisWeek.Facts, Now);

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }
}
