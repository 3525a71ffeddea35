using System.Collections.Immutable;
using Nudge.Core.Delivery;
using static Nudge.Core.Tests.Delivery.Deliveries;

namespace Nudge.Core.Tests.Delivery;

/// <summary>Berlin is UTC+1 in winter and UTC+2 from 2026-03-29 02:00 to 2026-10-25 03:00 local time.</summary>
public sealed class QuietHoursRuleTests
{
    private static readonly Recipient _smsSubscriber = Recipient.Ada.SubscribedTo(DeliveryChannels.Sms).SubscribedTo(DeliveryChannels.Push);

    [Fact]
    public void An_sms_at_23_00_is_delayed_to_09_00_the_next_morning()
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Sms), _smsSubscriber.Facts, Utc(2026, 1, 14, 22, 0));

        Assert.Equal(new DeliveryDecision(DeliveryVerdict.Delay, DeliveryRules.QuietHours,
            "Quiet hours for SMS (21:00 to 09:00, Europe/Berlin): held until 09:00 local time (2026-01-15 08:00 UTC).",
            Utc(2026, 1, 15, 8, 0)), decision);
    }

    [Fact]
    public void An_sms_at_07_00_is_delayed_to_09_00_the_same_morning()
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Sms), _smsSubscriber.Facts, Utc(2026, 1, 15, 6, 0));

        Assert.Equal(Utc(2026, 1, 15, 8, 0), decision.NotBefore);
    }

    [Fact]
    public void A_push_notification_at_midnight_is_delayed_to_09_00()
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Push), _smsSubscriber.Facts, Utc(2026, 1, 14, 23, 0));

        Assert.Equal((DeliveryVerdict.Delay, Utc(2026, 1, 15, 8, 0)), (decision.Verdict, decision.NotBefore));
    }

    [Fact]
    public void Quiet_hours_begin_at_21_00_sharp()
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Sms), _smsSubscriber.Facts, Utc(2026, 1, 14, 20, 0));

        Assert.Equal(DeliveryVerdict.Delay, decision.Verdict);
    }

    [Fact]
    public void An_sms_at_20_59_is_sent()
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Sms), _smsSubscriber.Facts, Utc(2026, 1, 14, 19, 59));

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void Quiet_hours_end_at_09_00_sharp()
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Sms), _smsSubscriber.Facts, Utc(2026, 1, 15, 8, 0));

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void A_delayed_sms_decided_again_at_its_moment_is_sent()
    {
        var policy = Policy();
        var delayed = policy.Decide(Message(DeliveryChannels.Sms), _smsSubscriber.Facts, Utc(2026, 1, 14, 22, 0));

        var again = policy.Decide(Message(DeliveryChannels.Sms), _smsSubscriber.Facts, delayed.NotBefore!.Value);

        Assert.Equal(DeliveryVerdict.Send, again.Verdict);
    }

    [Fact]
    public void Email_has_no_quiet_hours_by_default()
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Email), _smsSubscriber.Facts, Utc(2026, 1, 14, 23, 0));

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void Quiet_hours_are_read_in_the_recipients_time_zone()
    {
        // 01:00 UTC is 02:00 in Berlin but 20:00 in New York.
        var decision = Policy().Decide(Message(DeliveryChannels.Sms), _smsSubscriber.InZone("America/New_York").Facts, Utc(2026, 1, 15, 1, 0));

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void The_next_morning_is_09_00_in_the_recipients_time_zone()
    {
        // 03:00 UTC is 22:00 in New York; 09:00 there is 14:00 UTC.
        var decision = Policy().Decide(Message(DeliveryChannels.Sms), _smsSubscriber.InZone("America/New_York").Facts, Utc(2026, 1, 15, 3, 0));

        Assert.Equal(Utc(2026, 1, 15, 14, 0), decision.NotBefore);
    }

    [Fact]
    public void A_profile_without_a_time_zone_uses_the_fallback_zone()
    {
        var policy = Policy(new DeliveryPolicySettings { FallbackTimeZone = "Asia/Tokyo" });

        // 13:00 UTC is 22:00 in Tokyo; 09:00 there is 00:00 UTC.
        var decision = policy.Decide(Message(DeliveryChannels.Sms), _smsSubscriber.InZone(null).Facts, Utc(2026, 1, 14, 13, 0));

        Assert.Equal(new DeliveryDecision(DeliveryVerdict.Delay, DeliveryRules.QuietHours,
            "Quiet hours for SMS (21:00 to 09:00, Asia/Tokyo): held until 09:00 local time (2026-01-15 00:00 UTC).",
            Utc(2026, 1, 15, 0, 0)), decision);
    }

    [Fact]
    public void A_profile_with_an_unknown_time_zone_uses_the_fallback_zone()
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Sms), _smsSubscriber.InZone("Mars/Olympus_Mons").Facts, Utc(2026, 1, 14, 22, 0));

        Assert.Equal(Utc(2026, 1, 15, 9, 0), decision.NotBefore);
    }

    [Fact]
    public void The_morning_after_the_spring_clock_change_is_09_00_summer_time()
    {
        // 22:00 CET on 2026-03-28; 09:00 CEST on the 29th is 07:00 UTC.
        var decision = Policy().Decide(Message(DeliveryChannels.Sms), _smsSubscriber.Facts, Utc(2026, 3, 28, 21, 0));

        Assert.Equal(Utc(2026, 3, 29, 7, 0), decision.NotBefore);
    }

    [Fact]
    public void The_morning_after_the_autumn_clock_change_is_09_00_winter_time()
    {
        // 23:00 CEST on 2026-10-24; 09:00 CET on the 25th is 08:00 UTC.
        var decision = Policy().Decide(Message(DeliveryChannels.Sms), _smsSubscriber.Facts, Utc(2026, 10, 24, 21, 0));

        Assert.Equal(Utc(2026, 10, 25, 8, 0), decision.NotBefore);
    }

    [Theory]
    [InlineData(0)] // 02:30 CEST, the first time the clocks show it
    [InlineData(1)] // 02:30 CET, the second time
    public void The_hour_that_happens_twice_in_autumn_is_quiet_both_times(int hourAfterMidnightUtc)
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Sms), _smsSubscriber.Facts, Utc(2026, 10, 25, hourAfterMidnightUtc, 30));

        Assert.Equal((DeliveryVerdict.Delay, Utc(2026, 10, 25, 8, 0)), (decision.Verdict, decision.NotBefore));
    }

    [Fact]
    public void Quiet_hours_ending_in_the_skipped_spring_hour_end_when_the_clocks_jump()
    {
        var policy = Policy(WithSmsQuietHours(new QuietHours(new TimeOnly(22, 0), new TimeOnly(2, 30))));

        // 00:30 CET on 2026-03-29; 02:30 does not exist that night: the clocks jump from 02:00 CET to 03:00 CEST (01:00 UTC).
        var decision = policy.Decide(Message(DeliveryChannels.Sms), _smsSubscriber.Facts, Utc(2026, 3, 28, 23, 30));

        Assert.Equal(Utc(2026, 3, 29, 1, 0), decision.NotBefore);
        Assert.EndsWith("held until 03:00 local time (2026-03-29 01:00 UTC).", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(DeliveryVerdict.Send, policy.Decide(Message(DeliveryChannels.Sms), _smsSubscriber.Facts, decision.NotBefore!.Value).Verdict);
    }

    [Theory]
    [InlineData(0, 0)] // 02:10 CEST, the first pass: quiet until 02:30 CEST
    [InlineData(1, 1)] // 02:10 CET, the second pass: quiet again until 02:30 CET
    public void Quiet_hours_ending_in_the_repeated_autumn_hour_end_at_the_next_pass_of_the_end(int hourUtc, int endHourUtc)
    {
        var policy = Policy(WithSmsQuietHours(new QuietHours(new TimeOnly(22, 0), new TimeOnly(2, 30))));

        var decision = policy.Decide(Message(DeliveryChannels.Sms), _smsSubscriber.Facts, Utc(2026, 10, 25, hourUtc, 10));

        Assert.Equal(Utc(2026, 10, 25, endHourUtc, 30), decision.NotBefore);
    }

    [Fact]
    public void Daytime_quiet_hours_hold_messages_until_they_end_the_same_day()
    {
        var policy = Policy(WithSmsQuietHours(new QuietHours(new TimeOnly(12, 0), new TimeOnly(14, 0))));

        // 12:30 in Berlin (winter).
        var decision = policy.Decide(Message(DeliveryChannels.Sms), _smsSubscriber.Facts, Utc(2026, 1, 14, 11, 30));

        Assert.Equal(Utc(2026, 1, 14, 13, 0), decision.NotBefore);
    }

    [Theory]
    [InlineData(10, 59)] // 11:59 in Berlin
    [InlineData(13, 0)] // 14:00
    [InlineData(22, 0)] // 23:00
    public void Daytime_quiet_hours_let_messages_through_outside_them(int hour, int minute)
    {
        var policy = Policy(WithSmsQuietHours(new QuietHours(new TimeOnly(12, 0), new TimeOnly(14, 0))));

        var decision = policy.Decide(Message(DeliveryChannels.Sms), _smsSubscriber.Facts, Utc(2026, 1, 14, hour, minute));

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void Quiet_hours_that_start_and_end_at_the_same_time_hold_nothing()
    {
        var policy = Policy(WithSmsQuietHours(new QuietHours(new TimeOnly(21, 0), new TimeOnly(21, 0))));

        var decision = policy.Decide(Message(DeliveryChannels.Sms), _smsSubscriber.Facts, Utc(2026, 1, 14, 20, 0));

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void A_transactional_sms_at_night_is_sent_at_once()
    {
        var decision = Policy().Decide(Message(DeliveryChannels.Sms, transactional: true), Recipient.Ada.Facts, Utc(2026, 1, 14, 22, 0));

        Assert.Equal(DeliveryVerdict.Send, decision.Verdict);
    }

    [Fact]
    public void A_transactional_sms_at_night_waits_when_the_shop_asks_for_it()
    {
        var policy = Policy(new DeliveryPolicySettings { QuietHoursHoldTransactional = true });

        var decision = policy.Decide(Message(DeliveryChannels.Sms, transactional: true), Recipient.Ada.Facts, Utc(2026, 1, 14, 22, 0));

        Assert.Equal((DeliveryVerdict.Delay, Utc(2026, 1, 15, 8, 0)), (decision.Verdict, decision.NotBefore));
    }

    private static DeliveryPolicySettings WithSmsQuietHours(QuietHours hours) => new()
    {
        QuietHours = ImmutableDictionary<string, QuietHours>.Empty.Add(DeliveryChannels.Sms, hours),
    };
}
