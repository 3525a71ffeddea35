namespace Nudge.Engine.Profiles;

/// <summary>A profile's standing in one segment, as its grain holds it now.</summary>
[GenerateSerializer, Immutable]
public sealed record MembershipView(
    [property: Id(0)] string SegmentId,
    [property: Id(1)] bool IsMember,
    [property: Id(2)] DateTimeOffset ChangedAt);
