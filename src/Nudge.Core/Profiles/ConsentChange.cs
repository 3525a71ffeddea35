namespace Nudge.Core.Profiles;

/// <summary>One entry of a profile's consent audit trail.</summary>
/// <param name="Channel">email, sms, push, ...</param>
/// <param name="Granted">The consent asked for.</param>
/// <param name="At">Event time of the change.</param>
/// <param name="MessageId">The event that asked for it.</param>
/// <param name="Source">"server key", "browser key", ...</param>
/// <param name="Applied">False when the change was refused (browser keys cannot change consent).</param>
public sealed record ConsentChange(string Channel, bool Granted, DateTimeOffset At, string MessageId, string Source, bool Applied);
