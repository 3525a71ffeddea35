namespace Nudge.Core.Segments;

// Placeholder: the evaluator session fills this in.
public static class SegmentEvaluator;
