using System.Collections.Immutable;
using NodaTime;
using Nudge.Core.Ingestion;

namespace Nudge.Core.Delivery;

/// <summary>
/// What the delivery policy allows, per channel. The defaults are Klaviyo's: smart sending email 16 h, SMS and push
/// 24 h; at most 3 marketing emails per 7 days; SMS and push quiet from 21:00 to 09:00 in the person's time zone.
/// </summary>
public sealed record DeliveryPolicySettings
{
    /// <summary>The settings every workspace starts with.</summary>
    public static DeliveryPolicySettings Default { get; } = new();

    /// <summary>
    /// Smart sending: at most one marketing message per channel and person within the window. A channel without an
    /// entry (webhook) or with zero has no smart sending; a flow step may override its channel's window.
    /// </summary>
    public ImmutableDictionary<string, TimeSpan> SmartSendingWindows { get; init; } = ImmutableDictionary.CreateRange(
    [
        KeyValuePair.Create(DeliveryChannels.Email, TimeSpan.FromHours(16)),
        KeyValuePair.Create(DeliveryChannels.Sms, TimeSpan.FromHours(24)),
        KeyValuePair.Create(DeliveryChannels.Push, TimeSpan.FromHours(24)),
    ]);

    /// <summary>Limits across all flows and campaigns: at most <c>Max</c> marketing messages of a channel per window.</summary>
    public ImmutableArray<FrequencyCap> FrequencyCaps { get; init; } = [new(DeliveryChannels.Email, 3, TimeSpan.FromDays(7))];

    /// <summary>Per channel, the local hours in which nothing is delivered; messages wait for their end. Email has none.</summary>
    public ImmutableDictionary<string, QuietHours> QuietHours { get; init; } = ImmutableDictionary.CreateRange(
    [
        KeyValuePair.Create(DeliveryChannels.Sms, new QuietHours(new TimeOnly(21, 0), new TimeOnly(9, 0))),
        KeyValuePair.Create(DeliveryChannels.Push, new QuietHours(new TimeOnly(21, 0), new TimeOnly(9, 0))),
    ]);

    /// <summary>The time zone (IANA id) for quiet hours of people whose profile has no (known) time zone.</summary>
    public string FallbackTimeZone { get; init; } = "UTC";

    /// <summary>
    /// Channels on which a person who never subscribed may get marketing (email, like Klaviyo: only an unsubscribe
    /// stops it). Every other channel but webhook needs an explicit subscription. A shop that must have opt-in for
    /// email (double opt-in countries) sets this empty.
    /// </summary>
    public ImmutableHashSet<string> ChannelsWithoutOptIn { get; init; } = [DeliveryChannels.Email];

    /// <summary>
    /// Whether transactional messages wait for the end of quiet hours too. Off by default: an order confirmation is
    /// expected the moment the order is placed, also at 23:00 (ADR 0014).
    /// </summary>
    public bool QuietHoursHoldTransactional { get; init; }

    /// <summary>The longest smart-sending window or frequency-cap window: the history the policy reads grows with it.</summary>
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(365);

    /// <summary>
    /// What is wrong with these settings, one sentence per setting, naming it as the settings document does
    /// (<c>frequencyCaps[0].max must be at least 1.</c>); empty when they are usable.
    /// </summary>
    public IReadOnlyList<string> Problems() => [.. SettingProblems().Select(p => $"{p.Field} {p.Message}")];

    /// <summary>
    /// What is wrong with these settings, each with the field of the settings document (docs/delivery-policy.md) it is
    /// about, such as <c>quietHours.sms</c> or <c>frequencyCaps[0].window</c>; empty when they are usable.
    /// </summary>
    public IReadOnlyList<FieldError> SettingProblems()
    {
        var problems = new List<FieldError>();
        foreach (var (channel, window) in SmartSendingWindows)
        {
            if (window < TimeSpan.Zero)
                problems.Add(new($"smartSending.{channel}", "must not be negative."));
            else if (window > LongestWindow)
                problems.Add(new($"smartSending.{channel}", "must be at most 365 days."));
        }

        for (var i = 0; i < FrequencyCaps.Length; i++)
        {
            var cap = FrequencyCaps[i];
            if (cap is null || string.IsNullOrWhiteSpace(cap.Channel))
                problems.Add(new($"frequencyCaps[{i}].channel", "is required."));
            else if (cap.Max < 1)
                problems.Add(new($"frequencyCaps[{i}].max", "must be at least 1."));
            else if (cap.Window <= TimeSpan.Zero)
                problems.Add(new($"frequencyCaps[{i}].window", "must be longer than zero."));
            else if (cap.Window > LongestWindow)
                problems.Add(new($"frequencyCaps[{i}].window", "must be at most 365 days."));
        }

        foreach (var (channel, hours) in QuietHours)
        {
            if (hours is null)
                problems.Add(new($"quietHours.{channel}", "is required (remove the channel for no quiet hours)."));
        }

        if (string.IsNullOrEmpty(FallbackTimeZone) || DateTimeZoneProviders.Tzdb.GetZoneOrNull(FallbackTimeZone) is null)
            problems.Add(new("fallbackTimeZone", $"must be an IANA time zone id such as Europe/Berlin (got '{FallbackTimeZone}')."));
        return problems;
    }
}

/// <summary>At most <paramref name="Max"/> marketing messages on <paramref name="Channel"/> within any <paramref name="Window"/>.</summary>
public sealed record FrequencyCap(string Channel, int Max, TimeSpan Window);

/// <summary>
/// Local hours without delivery, from <paramref name="Start"/> (included) to <paramref name="End"/> (excluded); a
/// start after the end crosses midnight (21:00 to 09:00). Equal start and end mean no quiet hours.
/// </summary>
public sealed record QuietHours(TimeOnly Start, TimeOnly End)
{
    /// <summary>Whether a wall clock showing <paramref name="time"/> is within the quiet hours.</summary>
    public bool Contains(TimeOnly time) => Start <= End
        ? time >= Start && time < End
        : time >= Start || time < End;
}
