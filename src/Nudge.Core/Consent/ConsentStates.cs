using Nudge.Core.Profiles;
using Nudge.Core.Segments;

namespace Nudge.Core.Consent;

/// <summary>Reads a profile's consent as the three states the issue names: subscribed, unsubscribed, never subscribed.</summary>
public static class ConsentStates
{
    public static ConsentStatus Of(Profile profile, string channel)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile.Consent.TryGetValue(channel, out var granted)
            ? granted ? ConsentStatus.Subscribed : ConsentStatus.Unsubscribed
            : ConsentStatus.NeverSubscribed;
    }

    /// <summary>The word the APIs and the segment language use for <paramref name="status"/>.</summary>
    public static string Word(ConsentStatus status) => status switch
    {
        ConsentStatus.Subscribed => ConsentChangedEvent.Subscribed,
        ConsentStatus.Unsubscribed => ConsentChangedEvent.Unsubscribed,
        _ => ConsentChangedEvent.NeverSubscribed,
    };

    /// <summary>
    /// The audit entry that made the channel's current state, if any: the latest applied change to that state
    /// (after a merge the trail holds both people's entries, not in time order).
    /// </summary>
    public static ConsentChange? LastApplied(Profile profile, string channel)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (!profile.Consent.TryGetValue(channel, out var granted))
            return null;
        return profile.ConsentHistory
            .Where(c => c.Applied && c.Channel == channel && c.Granted == granted)
            .MaxBy(c => c.At);
    }
}
