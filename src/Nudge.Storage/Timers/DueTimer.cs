namespace Nudge.Storage.Timers;

/// <summary>A wake-up whose moment has come.</summary>
/// <param name="ProfileId">The profile to wake.</param>
/// <param name="Kind">What it is for (<c>segments</c>: re-evaluate time-dependent segments).</param>
/// <param name="Key">Which one of that kind (empty when a profile has only one).</param>
/// <param name="Due">The moment it was set for.</param>
public sealed record DueTimer(string ProfileId, string Kind, string Key, DateTimeOffset Due);
