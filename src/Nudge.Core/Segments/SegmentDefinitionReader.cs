namespace Nudge.Core.Segments;

// Placeholder: the reader session fills this in.
public static class SegmentDefinitionReader;
