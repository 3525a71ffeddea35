using Nudge.Core.Delivery;
using static Nudge.Core.Tests.Delivery.Deliveries;

namespace Nudge.Core.Tests.Delivery;

/// <summary>The first rule that holds a message back decides: consent, suppression, smart sending, frequency cap, quiet hours.</summary>
public sealed class RuleOrderTests
{
    /// <summary>Monday 2026-01-12 22:00 UTC: 23:00 in Berlin, inside SMS quiet hours.</summary>
    private static readonly DateTimeOffset _night = Utc(2026, 1, 12, 22, 0);

    [Fact]
    public void Consent_is_checked_before_suppression()
    {
        var ada = Recipient.Ada.UnsubscribedFrom(DeliveryChannels.Email, Utc(2026, 1, 1, 12, 0)).SuppressedOn(DeliveryChannels.Email);

        Assert.Equal(DeliveryRules.Consent, Policy().Decide(Message(DeliveryChannels.Email), ada.Facts, Now).Rule);
    }

    [Fact]
    public void Suppression_is_checked_before_smart_sending()
    {
        var ada = Recipient.Ada.SuppressedOn(DeliveryChannels.Email).Sent(DeliveryChannels.Email, Now.AddHours(-1));

        Assert.Equal(DeliveryRules.Suppression, Policy().Decide(Message(DeliveryChannels.Email), ada.Facts, Now).Rule);
    }

    [Fact]
    public void Smart_sending_is_checked_before_the_frequency_cap()
    {
        var ada = Recipient.Ada
            .Sent(DeliveryChannels.Email, Now.AddHours(-2))
            .Sent(DeliveryChannels.Email, Now.AddDays(-2))
            .Sent(DeliveryChannels.Email, Now.AddDays(-4));

        Assert.Equal(DeliveryRules.SmartSending, Policy().Decide(Message(DeliveryChannels.Email), ada.Facts, Now).Rule);
    }

    [Fact]
    public void A_capped_message_at_night_is_skipped_rather_than_delayed()
    {
        var policy = Policy(new DeliveryPolicySettings { FrequencyCaps = [new FrequencyCap(DeliveryChannels.Sms, 1, TimeSpan.FromDays(7))] });
        var ada = Recipient.Ada.SubscribedTo(DeliveryChannels.Sms).Sent(DeliveryChannels.Sms, _night.AddDays(-3));

        var decision = policy.Decide(Message(DeliveryChannels.Sms), ada.Facts, _night);

        Assert.Equal((DeliveryVerdict.Skip, DeliveryRules.FrequencyCap), (decision.Verdict, decision.Rule));
    }

    [Fact]
    public void A_message_held_back_by_smart_sending_at_night_is_skipped_rather_than_delayed()
    {
        var ada = Recipient.Ada.SubscribedTo(DeliveryChannels.Sms).Sent(DeliveryChannels.Sms, _night.AddHours(-5));

        var decision = Policy().Decide(Message(DeliveryChannels.Sms), ada.Facts, _night);

        Assert.Equal((DeliveryVerdict.Skip, DeliveryRules.SmartSending), (decision.Verdict, decision.Rule));
    }

    [Fact]
    public void A_message_without_consent_at_night_is_skipped_rather_than_delayed()
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Sms), Recipient.Ada.Facts, _night);

        Assert.Equal((DeliveryVerdict.Skip, DeliveryRules.Consent), (decision.Verdict, decision.Rule));
    }

    [Fact]
    public void A_message_that_passes_every_other_rule_at_night_is_delayed()
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Sms), Recipient.Ada.SubscribedTo(DeliveryChannels.Sms).Facts, _night);

        Assert.Equal((DeliveryVerdict.Delay, DeliveryRules.QuietHours), (decision.Verdict, decision.Rule));
    }
}
