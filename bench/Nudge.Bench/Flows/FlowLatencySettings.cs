namespace Nudge.Bench.Flows;

/// <summary>Options of <c>nudge-bench flow-latency</c>.</summary>
internal sealed record FlowLatencySettings
{
    public int EventsPerSecond { get; init; } = 5_000;
    public int Seconds { get; init; } = 60;
    public int WarmupSeconds { get; init; } = 20;
    public int Users { get; init; } = 10_000;
    public string? ServerDll { get; init; }
    public bool WriteDocs { get; init; } = true;
    public required string CommandLine { get; init; }
}
