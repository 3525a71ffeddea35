using Nudge.Core.Profiles;

namespace Nudge.Core.Delivery;

/// <summary>What the delivery policy may know about the recipient.</summary>
/// <param name="Profile">The person: consent per channel and time zone are read from it.</param>
/// <param name="SuppressedChannels">The channels whose address of this person is on the suppression list.</param>
/// <param name="RecentSends">
/// Messages already sent to the person on any channel, at least as far back as
/// <see cref="DeliveryPolicy.HistoryNeeded"/> (30 days with the default settings).
/// </param>
public sealed record RecipientFacts(
    Profile Profile,
    IReadOnlySet<string> SuppressedChannels,
    IReadOnlyList<PastSend> RecentSends);

/// <summary>A message that went to the person: counted by smart sending and frequency caps unless transactional.</summary>
public sealed record PastSend(string Channel, DateTimeOffset SentAt, bool Transactional);
