using Nudge.Storage.Segments;

namespace Nudge.Engine.Segments;

/// <summary>A profile entered or left a segment.</summary>
public sealed record SegmentChange(CompiledSegment Segment, SegmentMembership Membership);
