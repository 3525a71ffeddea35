namespace Nudge.Bench.Segments;

/// <summary>Options of <c>nudge-bench segment-build</c>.</summary>
internal sealed record SegmentBuildSettings
{
    public int Profiles { get; init; } = 1_000_000;
    public long Events { get; init; } = 20_000_000;
    public string? ServerDll { get; init; }
    public bool WriteDocs { get; init; } = true;
    public required string CommandLine { get; init; }
}
