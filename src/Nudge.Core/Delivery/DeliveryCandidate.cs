namespace Nudge.Core.Delivery;

/// <summary>A message about to be delivered: what the delivery policy decides on.</summary>
/// <param name="MessageId">The message's key (the outbox row), to find the decision again.</param>
/// <param name="ProfileId">The person it goes to.</param>
/// <param name="Channel">email, sms, push or webhook (<see cref="DeliveryChannels"/>).</param>
/// <param name="Transactional">
/// An answer to something the person did (order confirmation, shipping update, password reset): needs no marketing
/// consent and is exempt from smart sending, frequency caps and (by default) quiet hours; suppression still applies.
/// </param>
/// <param name="Priority">0 to 100; when several messages for one person are due together, higher goes first.</param>
/// <param name="SmartSending">The flow step's smart-sending window: null = the channel's default, zero = off.</param>
/// <param name="CreatedAt">When the message was queued; breaks ties between equal priorities (older first).</param>
public sealed record DeliveryCandidate(
    string MessageId,
    string ProfileId,
    string Channel,
    bool Transactional,
    int Priority,
    TimeSpan? SmartSending,
    DateTimeOffset CreatedAt);
