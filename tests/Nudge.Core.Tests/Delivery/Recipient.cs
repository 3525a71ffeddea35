using System.Collections.Immutable;
using Nudge.Core.Delivery;
using Nudge.Core.Profiles;

namespace Nudge.Core.Tests.Delivery;

/// <summary>Builds what the policy knows about Ada: consent, time zone, suppressions, earlier sends.</summary>
internal sealed record Recipient
{
    public static Recipient Ada { get; } = new();

    private Profile Profile { get; init; } = Profile.Empty("prf_ada", "ws_shop") with { TimeZone = "Europe/Berlin" };
    private ImmutableHashSet<string> Suppressed { get; init; } = [];
    private ImmutableList<PastSend> Sends { get; init; } = [];

    public RecipientFacts Facts => new(Profile, Suppressed, Sends);

    public Recipient SubscribedTo(string channel) => Consent(channel, true, Deliveries.Now.AddDays(-60));

    public Recipient UnsubscribedFrom(string channel, DateTimeOffset at) => Consent(channel, false, at);

    public Recipient InZone(string? zone) => this with { Profile = Profile with { TimeZone = zone } };

    public Recipient SuppressedOn(string channel) => this with { Suppressed = Suppressed.Add(channel) };

    public Recipient Sent(string channel, DateTimeOffset at) => this with { Sends = Sends.Add(new PastSend(channel, at, false)) };

    public Recipient SentTransactional(string channel, DateTimeOffset at) => this with { Sends = Sends.Add(new PastSend(channel, at, true)) };

    private Recipient Consent(string channel, bool granted, DateTimeOffset at) => this with
    {
        Profile = Profile with
        {
            Consent = Profile.Consent.SetItem(channel, granted),
            ConsentHistory = Profile.ConsentHistory.Add(new ConsentChange(channel, granted, at, "msg_consent", "preference center", true)),
        },
    };
}
