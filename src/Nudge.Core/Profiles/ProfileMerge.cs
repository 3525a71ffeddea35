namespace Nudge.Core.Profiles;

/// <summary>A profile that was merged into this one, and the event that did it.</summary>
public sealed record ProfileMerge(string AbsorbedProfileId, DateTimeOffset At, long Sequence);
