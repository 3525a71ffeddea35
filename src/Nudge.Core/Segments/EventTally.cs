namespace Nudge.Core.Segments;

// Placeholder: the evaluator session fills this in (see the task description given to it).
public sealed class EventTally;
