using Nudge.Core.Delivery;

namespace Nudge.Core.Tests.Delivery;

public sealed class DeliveryPolicySettingsTests
{
    [Fact]
    public void The_default_settings_have_no_problems() =>
        Assert.Empty(DeliveryPolicySettings.Default.Problems());

    [Fact]
    public void An_unknown_fallback_time_zone_is_refused_by_name()
    {
        var settings = new DeliveryPolicySettings { FallbackTimeZone = "Europe/Atlantis" };

        var error = Assert.Throws<ArgumentException>(() => new DeliveryPolicy(settings));

        Assert.Contains("fallbackTimeZone must be an IANA time zone id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cap_of_zero_messages_is_refused()
    {
        var settings = new DeliveryPolicySettings { FrequencyCaps = [new FrequencyCap(DeliveryChannels.Email, 0, TimeSpan.FromDays(7))] };

        Assert.Equal(["frequencyCaps[0].max must be at least 1."], settings.Problems());
    }

    [Fact]
    public void A_cap_without_a_window_is_refused()
    {
        var settings = new DeliveryPolicySettings { FrequencyCaps = [new FrequencyCap(DeliveryChannels.Email, 3, TimeSpan.Zero)] };

        Assert.Equal(["frequencyCaps[0].window must be longer than zero."], settings.Problems());
    }

    [Fact]
    public void A_negative_smart_sending_window_is_refused()
    {
        var settings = new DeliveryPolicySettings
        {
            SmartSendingWindows = DeliveryPolicySettings.Default.SmartSendingWindows.SetItem(DeliveryChannels.Sms, TimeSpan.FromHours(-1)),
        };

        Assert.Equal(["smartSending.sms must not be negative."], settings.Problems());
    }

    [Fact]
    public void Thirty_days_of_history_are_enough_for_the_default_settings() =>
        Assert.Equal(TimeSpan.FromDays(30), new DeliveryPolicy(DeliveryPolicySettings.Default).HistoryNeeded);

    [Fact]
    public void A_longer_cap_needs_a_longer_history()
    {
        var settings = new DeliveryPolicySettings { FrequencyCaps = [new FrequencyCap(DeliveryChannels.Email, 10, TimeSpan.FromDays(90))] };

        Assert.Equal(TimeSpan.FromDays(90), new DeliveryPolicy(settings).HistoryNeeded);
    }
}
