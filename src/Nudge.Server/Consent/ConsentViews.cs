using Nudge.Core.Consent;
using Nudge.Core.Profiles;

namespace Nudge.Server.Consent;

/// <summary>A person's consent: the state per channel and the whole audit trail, oldest first.</summary>
/// <param name="ProfileId">The profile (the survivor, for an id of a merged profile).</param>
/// <param name="Channels">email, sms and push (and any other channel the trail names): subscribed, unsubscribed or neverSubscribed.</param>
/// <param name="History">Every change asked for, applied or refused.</param>
public sealed record ConsentView(string ProfileId, IReadOnlyDictionary<string, ChannelConsentView> Channels, IReadOnlyList<ConsentChange> History)
{
    public static ConsentView Of(Profile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var channels = new SortedDictionary<string, ChannelConsentView>(StringComparer.Ordinal);
        foreach (var channel in ConsentChannels.All.Concat(profile.Consent.Keys).Distinct(StringComparer.Ordinal))
        {
            var last = ConsentStates.LastApplied(profile, channel);
            channels[channel] = new ChannelConsentView(ConsentStates.Word(ConsentStates.Of(profile, channel)), last?.At, last?.Source);
        }
        // A merge appends the absorbed person's trail: order by time, keeping the log's order for equal times.
        return new ConsentView(profile.Id, channels, profile.ConsentHistory.OrderBy(c => c.At).ToList());
    }
}

/// <summary>The consent state of one channel.</summary>
/// <param name="Status">subscribed, unsubscribed or neverSubscribed.</param>
/// <param name="Since">When the change that made it took effect; null for neverSubscribed.</param>
/// <param name="Source">Where that change came from.</param>
public sealed record ChannelConsentView(string Status, DateTimeOffset? Since, string? Source);

/// <summary>A consent change to record (<c>POST /api/profiles/{id}/consent</c>); channel and status are required.</summary>
public sealed record ConsentChangeBody
{
    /// <summary>email, sms or push (required).</summary>
    public string? Channel { get; init; }

    /// <summary>subscribed or unsubscribed (required).</summary>
    public string? Status { get; init; }

    /// <summary>Where the person gave or withdrew consent (default "admin"): "import", "signup form", "phone call", ...</summary>
    public string? Source { get; init; }

    /// <summary>The exact text the person was shown, if any.</summary>
    public string? Wording { get; init; }

    /// <summary>The person's IP address when they chose, if known (not the caller's).</summary>
    public string? Ip { get; init; }

    /// <summary>The person's browser when they chose, if known.</summary>
    public string? UserAgent { get; init; }
}

/// <summary>A consent change that is in the log; the profile shows it within about a second.</summary>
/// <param name="ProfileId">The profile it was recorded for.</param>
/// <param name="MessageId">The <c>Consent Changed</c> event's message id.</param>
/// <param name="Channel">email, sms or push.</param>
/// <param name="Status">subscribed or unsubscribed.</param>
/// <param name="Source">Where it came from.</param>
public sealed record ConsentChangeAccepted(string ProfileId, string MessageId, string Channel, string Status, string Source);
