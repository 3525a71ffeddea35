namespace Nudge.Bench.Segments;

/// <summary>Options of <c>nudge-bench segment-latency</c>.</summary>
internal sealed record SegmentLatencySettings
{
    public int Segments { get; init; } = 50;
    public int EventsPerSecond { get; init; } = 20_000;
    public int Seconds { get; init; } = 60;
    public int WarmupSeconds { get; init; } = 20;
    public int Users { get; init; } = 100_000;
    public int Probes { get; init; } = 300;
    public string? ServerDll { get; init; }
    public bool WriteDocs { get; init; } = true;
    public required string CommandLine { get; init; }
}
