namespace Nudge.Core.Segments;

/// <summary>What a segment is: its name and the condition a profile must meet to be a member.</summary>
public sealed record SegmentDefinition(string Name, string? Description, Condition Condition);
