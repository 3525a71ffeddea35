using System.Text.Json.Serialization;

namespace Nudge.Core.Delivery;

/// <summary>
/// A workspace's delivery policy settings as the shop owner reads and writes them (docs/delivery-policy.md): windows
/// as <c>{ "hours": 16 }</c>, clock times as <c>"21:00"</c>. A channel left out of <see cref="SmartSending"/> or
/// <see cref="QuietHours"/> has none.
/// </summary>
/// <param name="SmartSending">Per channel, the smart-sending window.</param>
/// <param name="FrequencyCaps">Limits across all flows and campaigns.</param>
/// <param name="QuietHours">Per channel, the local hours without delivery.</param>
/// <param name="FallbackTimeZone">The IANA time zone for people whose profile has none.</param>
/// <param name="ChannelsWithoutOptIn">Channels on which a person who never subscribed may get marketing.</param>
/// <param name="QuietHoursHoldTransactional">Whether transactional messages wait for the end of quiet hours too.</param>
public sealed record DeliveryPolicyDocument(
    IReadOnlyDictionary<string, DurationParts> SmartSending,
    IReadOnlyList<FrequencyCapDocument> FrequencyCaps,
    IReadOnlyDictionary<string, QuietHoursDocument> QuietHours,
    string FallbackTimeZone,
    IReadOnlyList<string> ChannelsWithoutOptIn,
    bool QuietHoursHoldTransactional);

/// <summary>A length of time as flow waits write it: <c>{ "days": 7 }</c>, <c>{ "hours": 1, "minutes": 30 }</c>.</summary>
/// <param name="Days">Whole days (left out when none).</param>
/// <param name="Hours">Hours besides the days (left out when none).</param>
/// <param name="Minutes">Minutes besides the hours (left out when none).</param>
public sealed record DurationParts(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Days = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Hours = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Minutes = null)
{
    /// <summary>The largest units that add up to <paramref name="span"/> (seconds are dropped).</summary>
    public static DurationParts Of(TimeSpan span) =>
        new(span.Days == 0 ? null : span.Days, span.Hours == 0 ? null : span.Hours, span.Minutes == 0 ? null : span.Minutes);
}

/// <summary>At most <paramref name="Max"/> marketing messages on <paramref name="Channel"/> within any <paramref name="Window"/>.</summary>
public sealed record FrequencyCapDocument(string Channel, int Max, DurationParts Window);

/// <summary>Local hours without delivery, <c>"21:00"</c> (included) to <c>"09:00"</c> (excluded).</summary>
public sealed record QuietHoursDocument(string Start, string End);
