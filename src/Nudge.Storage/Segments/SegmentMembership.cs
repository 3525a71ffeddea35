namespace Nudge.Storage.Segments;

/// <summary>A profile's standing in one segment.</summary>
/// <param name="SegmentId">The segment.</param>
/// <param name="ProfileId">The profile.</param>
/// <param name="IsMember">Member now.</param>
/// <param name="ChangedAt">When it entered (member) or left (not a member).</param>
/// <param name="Changes">How many times it entered or left; names the change events so a replay logs none twice.</param>
public sealed record SegmentMembership(string SegmentId, string ProfileId, bool IsMember, DateTimeOffset ChangedAt, long Changes);
