using NodaTime;
using Nudge.Core.Consent;
using Nudge.Core.Segments;

namespace Nudge.Core.Delivery;

/// <summary>
/// Decides, for every message about to be delivered, whether it goes now, never, or later. The rules are applied
/// in this order and the first that holds a message back decides: consent, suppression, smart sending, frequency
/// caps, quiet hours (ADR 0014, docs/delivery-policy.md). Pure: the same message, facts and moment give the same
/// decision.
/// </summary>
public sealed class DeliveryPolicy
{
    /// <summary>The least history <see cref="RecipientFacts.RecentSends"/> is documented to cover.</summary>
    private static readonly TimeSpan _minimumHistory = TimeSpan.FromDays(30);

    private readonly DeliveryPolicySettings _settings;
    private readonly DateTimeZone _fallbackZone;

    /// <param name="settings">What the policy allows; must have no <see cref="DeliveryPolicySettings.Problems"/>.</param>
    /// <exception cref="ArgumentException">The settings have problems; the message lists them.</exception>
    public DeliveryPolicy(DeliveryPolicySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = settings.Problems();
        if (problems.Count > 0)
            throw new ArgumentException(string.Join(" ", problems), nameof(settings));
        _settings = settings;
        _fallbackZone = DateTimeZoneProviders.Tzdb[settings.FallbackTimeZone];
    }

    /// <summary>
    /// How far back <see cref="RecipientFacts.RecentSends"/> must reach for these settings: 30 days, or the longest
    /// smart-sending window or frequency cap when longer. A flow step's own, longer smart-sending window needs its
    /// own length.
    /// </summary>
    public TimeSpan HistoryNeeded =>
        _settings.SmartSendingWindows.Values.Concat(_settings.FrequencyCaps.Select(c => c.Window)).Append(_minimumHistory).Max();

    /// <summary>Decides one message for its recipient at <paramref name="now"/>.</summary>
    public DeliveryDecision Decide(DeliveryCandidate candidate, RecipientFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(facts);
        return CheckConsent(candidate, facts)
            ?? CheckSuppression(candidate, facts)
            ?? CheckSmartSending(candidate, facts, now)
            ?? CheckFrequencyCaps(candidate, facts, now)
            ?? CheckQuietHours(candidate, facts, now)
            ?? new DeliveryDecision(DeliveryVerdict.Send, DeliveryRules.Ok,
                "Passed consent, suppression, smart sending, frequency caps and quiet hours.", null);
    }

    /// <summary>
    /// Decides several messages for one person due at the same moment: highest priority first, then the oldest,
    /// each one sent counting as a recent send for the ones after it, so smart sending and caps hold back the
    /// less important ones. The answer is in that order.
    /// </summary>
    public IReadOnlyList<(DeliveryCandidate Candidate, DeliveryDecision Decision)> DecideAll(
        IReadOnlyList<DeliveryCandidate> candidates, RecipientFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(facts);
        var sends = new List<PastSend>(facts.RecentSends);
        var current = facts with { RecentSends = sends };
        var decisions = new List<(DeliveryCandidate, DeliveryDecision)>(candidates.Count);
        foreach (var candidate in candidates
                     .OrderByDescending(c => c.Priority)
                     .ThenBy(c => c.CreatedAt)
                     .ThenBy(c => c.MessageId, StringComparer.Ordinal))
        {
            var decision = Decide(candidate, current, now);
            decisions.Add((candidate, decision));
            if (decision.Verdict == DeliveryVerdict.Send)
                sends.Add(new PastSend(candidate.Channel, now, candidate.Transactional));
        }

        return decisions;
    }

    private DeliveryDecision? CheckConsent(DeliveryCandidate candidate, RecipientFacts facts)
    {
        var channel = candidate.Channel;
        if (channel == DeliveryChannels.Webhook)
            return null;
        var status = ConsentStates.Of(facts.Profile, channel);
        var name = DeliveryChannels.Display(channel);
        if (candidate.Transactional)
        {
            // An SMS STOP or a withdrawn browser permission ends the channel itself, not only its marketing: carriers
            // refuse further texts after STOP. An email unsubscribe is from marketing; receipts still go.
            return status == ConsentStatus.Unsubscribed && channel is DeliveryChannels.Sms or DeliveryChannels.Push
                ? Skip(DeliveryRules.Consent,
                    $"The person unsubscribed from {name}{Since(facts, channel)}; that stops transactional {name} messages too.")
                : null;
        }

        return status switch
        {
            ConsentStatus.Subscribed => null,
            ConsentStatus.Unsubscribed => Skip(DeliveryRules.Consent, $"The person unsubscribed from {name}{Since(facts, channel)}."),
            _ when _settings.ChannelsWithoutOptIn.Contains(channel) => null,
            _ => Skip(DeliveryRules.Consent,
                $"The person never subscribed to {name}, and marketing by {name} needs a subscription."),
        };
    }

    private static DeliveryDecision? CheckSuppression(DeliveryCandidate candidate, RecipientFacts facts) =>
        facts.SuppressedChannels.Contains(candidate.Channel)
            ? Skip(DeliveryRules.Suppression, $"The person's {AddressWord(candidate.Channel)} is on the suppression list.")
            : null;

    private DeliveryDecision? CheckSmartSending(DeliveryCandidate candidate, RecipientFacts facts, DateTimeOffset now)
    {
        if (candidate.Transactional)
            return null;
        var window = candidate.SmartSending
            ?? (_settings.SmartSendingWindows.TryGetValue(candidate.Channel, out var byChannel) ? byChannel : TimeSpan.Zero);
        if (window <= TimeSpan.Zero)
            return null;
        var last = Marketing(facts, candidate.Channel, now - window).MaxBy(s => s.SentAt);
        if (last is null)
            return null;
        return Skip(DeliveryRules.SmartSending,
            $"Smart sending: {DeliveryChannels.OneMessage(candidate.Channel)} already went to the person "
            + $"{DeliveryWords.Ago(last.SentAt, now)} ({DeliveryWords.Moment(last.SentAt)}); at most one every {DeliveryWords.Duration(window)}.");
    }

    private DeliveryDecision? CheckFrequencyCaps(DeliveryCandidate candidate, RecipientFacts facts, DateTimeOffset now)
    {
        if (candidate.Transactional)
            return null;
        foreach (var cap in _settings.FrequencyCaps)
        {
            if (cap.Channel != candidate.Channel)
                continue;
            var sent = Marketing(facts, cap.Channel, now - cap.Window).Count();
            if (sent >= cap.Max)
            {
                return Skip(DeliveryRules.FrequencyCap,
                    $"Frequency cap: {sent} marketing {DeliveryChannels.Messages(cap.Channel)} already went to the person "
                    + $"in the last {DeliveryWords.Duration(cap.Window)}; at most {cap.Max}.");
            }
        }

        return null;
    }

    private DeliveryDecision? CheckQuietHours(DeliveryCandidate candidate, RecipientFacts facts, DateTimeOffset now)
    {
        if (candidate.Transactional && !_settings.QuietHoursHoldTransactional)
            return null;
        if (!_settings.QuietHours.TryGetValue(candidate.Channel, out var quiet) || quiet.Start == quiet.End)
            return null;
        var zone = (string.IsNullOrEmpty(facts.Profile.TimeZone) ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(facts.Profile.TimeZone))
            ?? _fallbackZone;
        var local = Instant.FromDateTimeOffset(now).InZone(zone).TimeOfDay;
        if (!quiet.Contains(new TimeOnly(local.TickOfDay)))
            return null;
        var notBefore = NextEnd(now, zone, quiet.End);
        var localEnd = new TimeOnly(Instant.FromDateTimeOffset(notBefore).InZone(zone).TimeOfDay.TickOfDay);
        return new DeliveryDecision(DeliveryVerdict.Delay, DeliveryRules.QuietHours,
            $"Quiet hours for {DeliveryChannels.Display(candidate.Channel)} ({DeliveryWords.Clock(quiet.Start)} to "
            + $"{DeliveryWords.Clock(quiet.End)}, {zone.Id}): held until {DeliveryWords.Clock(localEnd)} local time "
            + $"({DeliveryWords.Moment(notBefore)}).",
            notBefore);
    }

    /// <summary>
    /// The first moment after <paramref name="now"/> when the person's wall clock shows <paramref name="end"/>: when
    /// a DST change skips that time, the moment the clocks jump (the first allowed one); when it happens twice, the
    /// first occurrence still ahead (the second pass through the repeated hour is quiet again until its own end).
    /// </summary>
    private static DateTimeOffset NextEnd(DateTimeOffset now, DateTimeZone zone, TimeOnly end)
    {
        var instant = Instant.FromDateTimeOffset(now);
        var today = instant.InZone(zone).Date;
        var time = new LocalTime(end.Hour, end.Minute, end.Second);
        for (var day = 0; day <= 2; day++)
        {
            var mapping = zone.MapLocal(today.PlusDays(day).At(time));
            Instant[] moments = mapping.Count switch
            {
                0 => [mapping.LateInterval.Start],
                1 => [mapping.Single().ToInstant()],
                _ => [mapping.First().ToInstant(), mapping.Last().ToInstant()],
            };
            foreach (var moment in moments)
            {
                if (moment > instant)
                    return moment.ToDateTimeOffset();
            }
        }

        // Unreachable: a wall clock shows every time of day within two days, gaps aside, and a gap maps to its end.
        throw new InvalidOperationException("No end of quiet hours within two days.");
    }

    /// <summary>Marketing sends of the channel after <paramref name="since"/>: what smart sending and caps count.</summary>
    private static IEnumerable<PastSend> Marketing(RecipientFacts facts, string channel, DateTimeOffset since) =>
        facts.RecentSends.Where(s => !s.Transactional && s.Channel == channel && s.SentAt > since);

    private static string Since(RecipientFacts facts, string channel) =>
        ConsentStates.LastApplied(facts.Profile, channel) is { } change ? $" on {DeliveryWords.Moment(change.At)}" : "";

    private static string AddressWord(string channel) => channel switch
    {
        DeliveryChannels.Email => "email address",
        DeliveryChannels.Sms => "phone number",
        DeliveryChannels.Push => "push subscription",
        DeliveryChannels.Webhook => "webhook address",
        _ => $"{channel} address",
    };

    private static DeliveryDecision Skip(string rule, string reason) => new(DeliveryVerdict.Skip, rule, reason, null);
}
