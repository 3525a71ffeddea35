namespace Nudge.Storage.Events;

/// <summary>Wakes the partition readers of this process when the writer has committed new events.</summary>
public sealed class LogSignal : CommitSignal;
