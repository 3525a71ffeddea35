using Nudge.Core.Delivery;
using static Nudge.Core.Tests.Delivery.Deliveries;

namespace Nudge.Core.Tests.Delivery;

/// <summary>Several messages for one person at once: decided by priority, each send counting for the ones after it.</summary>
public sealed class PriorityTests
{
    [Fact]
    public void The_higher_priority_email_is_sent_and_the_lower_one_held_back_by_smart_sending()
    {
        var browse = Message(DeliveryChannels.Email, priority: 20, id: "browse-abandonment");
        var cart = Message(DeliveryChannels.Email, priority: 80, id: "cart-abandonment");

        var decisions = Policy().DecideAll([browse, cart], Recipient.Ada.Facts, Now);

        Assert.Equal(
            [("cart-abandonment", DeliveryVerdict.Send, DeliveryRules.Ok), ("browse-abandonment", DeliveryVerdict.Skip, DeliveryRules.SmartSending)],
            decisions.Select(d => (d.Candidate.MessageId, d.Decision.Verdict, d.Decision.Rule)));
    }

    [Fact]
    public void The_held_back_message_names_the_one_just_sent()
    {
        var decisions = Policy().DecideAll(
            [Message(DeliveryChannels.Email, priority: 20, id: "low"), Message(DeliveryChannels.Email, priority: 80, id: "high")],
            Recipient.Ada.Facts, Now);

        Assert.Equal("Smart sending: an email already went to the person just now (2026-03-02 14:00 UTC); at most one every 16 h.",
            decisions[1].Decision.Reason);
    }

    [Fact]
    public void Equal_priorities_go_oldest_first()
    {
        var older = Message(DeliveryChannels.Email, id: "older", createdAt: Now.AddHours(-2));
        var newer = Message(DeliveryChannels.Email, id: "newer", createdAt: Now.AddHours(-1));

        var decisions = Policy().DecideAll([newer, older], Recipient.Ada.Facts, Now);

        Assert.Equal(("older", DeliveryVerdict.Send), (decisions[0].Candidate.MessageId, decisions[0].Decision.Verdict));
    }

    [Fact]
    public void Messages_on_different_channels_are_all_sent()
    {
        var ada = Recipient.Ada.SubscribedTo(DeliveryChannels.Sms).SubscribedTo(DeliveryChannels.Push);

        var decisions = Policy().DecideAll(
            [Message(DeliveryChannels.Email, id: "e"), Message(DeliveryChannels.Sms, id: "s"), Message(DeliveryChannels.Push, id: "p")],
            ada.Facts, Now);

        Assert.All(decisions, d => Assert.Equal(DeliveryVerdict.Send, d.Decision.Verdict));
    }

    [Fact]
    public void An_order_confirmation_sent_first_does_not_hold_back_a_marketing_email()
    {
        var decisions = Policy().DecideAll(
            [Message(DeliveryChannels.Email, priority: 10, id: "newsletter"), Message(DeliveryChannels.Email, transactional: true, priority: 100, id: "receipt")],
            Recipient.Ada.Facts, Now);

        Assert.All(decisions, d => Assert.Equal(DeliveryVerdict.Send, d.Decision.Verdict));
    }

    [Fact]
    public void A_skipped_higher_priority_message_does_not_hold_back_the_next()
    {
        // The important email's step asks for two days of quiet; the last email was a day ago.
        var ada = Recipient.Ada.Sent(DeliveryChannels.Email, Now.AddDays(-1));

        var decisions = Policy().DecideAll(
            [Message(DeliveryChannels.Email, priority: 90, smartSending: TimeSpan.FromDays(2), id: "high"), Message(DeliveryChannels.Email, priority: 10, id: "low")],
            ada.Facts, Now);

        Assert.Equal(
            [("high", DeliveryVerdict.Skip), ("low", DeliveryVerdict.Send)],
            decisions.Select(d => (d.Candidate.MessageId, d.Decision.Verdict)));
    }

    [Fact]
    public void Messages_sent_earlier_in_the_same_batch_count_toward_the_cap()
    {
        var ada = Recipient.Ada.Sent(DeliveryChannels.Email, Now.AddDays(-2)).Sent(DeliveryChannels.Email, Now.AddDays(-4));

        var decisions = Policy().DecideAll(
            [Message(DeliveryChannels.Email, priority: 60, smartSending: TimeSpan.Zero, id: "first"), Message(DeliveryChannels.Email, priority: 40, smartSending: TimeSpan.Zero, id: "second")],
            ada.Facts, Now);

        Assert.Equal(
            [("first", DeliveryRules.Ok), ("second", DeliveryRules.FrequencyCap)],
            decisions.Select(d => (d.Candidate.MessageId, d.Decision.Rule)));
    }

    [Fact]
    public void A_delayed_message_does_not_count_as_sent()
    {
        // 23:00 in Berlin: the push waits for the morning, so it holds nothing back.
        var night = Utc(2026, 1, 12, 22, 0);
        var ada = Recipient.Ada.SubscribedTo(DeliveryChannels.Push);
        var policy = Policy(new DeliveryPolicySettings { FrequencyCaps = [new FrequencyCap(DeliveryChannels.Push, 1, TimeSpan.FromDays(1))] });

        var decisions = policy.DecideAll(
            [Message(DeliveryChannels.Push, priority: 90, id: "a"), Message(DeliveryChannels.Push, priority: 10, id: "b")], ada.Facts, night);

        Assert.All(decisions, d => Assert.Equal(DeliveryVerdict.Delay, d.Decision.Verdict));
    }

    [Fact]
    public void Deciding_together_leaves_the_callers_facts_unchanged()
    {
        var facts = Recipient.Ada.Facts;

        Policy().DecideAll([Message(DeliveryChannels.Email, id: "a"), Message(DeliveryChannels.Email, id: "b")], facts, Now);

        Assert.Empty(facts.RecentSends);
    }
}
