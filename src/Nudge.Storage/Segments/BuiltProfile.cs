namespace Nudge.Storage.Segments;

/// <summary>What a segment build found for one profile.</summary>
/// <param name="ProfileId">The profile.</param>
/// <param name="IsMember">Whether it belongs to the segment.</param>
/// <param name="At">The moment of the build's evaluation (the entry time of a new member).</param>
/// <param name="Tallies">The built part of its condition tallies, by key, in the engine's text form.</param>
/// <param name="WakeUp">When time alone next changes its membership; null for never.</param>
public sealed record BuiltProfile(string ProfileId, bool IsMember, DateTimeOffset At, IReadOnlyList<(string Key, string Built)> Tallies, DateTimeOffset? WakeUp);
