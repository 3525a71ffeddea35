namespace Nudge.Bench.Ingest;

/// <summary>What one run of <c>nudge-bench ingest</c> measures.</summary>
internal sealed record IngestSettings
{
    public int Events { get; init; } = 1_000_000;

    public int Warmup { get; init; } = 100_000;

    public int Concurrency { get; init; } = 16;

    public int BatchSize { get; init; } = 100;

    public int Users { get; init; } = 10_000;

    public string? ServerDll { get; init; }

    public Uri? Url { get; init; }

    public string? WriteKey { get; init; }

    public string? ServerLog { get; init; }

    public int? BaselineEvents { get; init; }

    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(3);

    public bool WriteDocs { get; init; } = true;

    /// <summary>Start the server with profile processing paused, to measure ingestion alone.</summary>
    public bool EngineOff { get; init; }

    /// <summary>The section of docs/benchmarks.md this run writes.</summary>
    public string DocsSection => $"ingest-c{Concurrency}" + (EngineOff ? "-engine-off" : "");

    public string CommandLine { get; init; } = "";

    public int TimedBatches => (Events + BatchSize - 1) / BatchSize;

    public int WarmupBatches => (Warmup + BatchSize - 1) / BatchSize;

    public int BaselineRows => Math.Min(BaselineEvents ?? TimedBatches * BatchSize, TimedBatches * BatchSize);

    public string? Validate() =>
        Events < 1 ? "--events must be at least 1"
        : Warmup < 0 ? "--warmup must not be negative"
        : Concurrency < 1 ? "--concurrency must be at least 1"
        : BatchSize is < 1 or > 1000 ? "--batch-size must be between 1 and 1000"
        : Users < 1 ? "--users must be at least 1"
        : BaselineEvents < 0 ? "--baseline-events must not be negative"
        : Url is not null && string.IsNullOrEmpty(WriteKey) ? "--url needs --write-key"
        : Url is not null && ServerDll is not null ? "--url and --server-dll exclude each other"
        : null;
}
