namespace Nudge.Bench.Flows;

/// <summary>Settings of <c>nudge-bench flow-timers</c>.</summary>
internal sealed record FlowTimersSettings
{
    /// <summary>Runs waiting far in the future, held in the timer table during the measurement.</summary>
    public int Pending { get; init; } = 10_000_000;

    /// <summary>Runs whose waits come due during the measurement.</summary>
    public int Due { get; init; } = 200_000;

    /// <summary>Runs coming due before the measured ones, not counted (the server's code reaches its fast tier meanwhile).</summary>
    public int Warmup { get; init; } = 40_000;

    /// <summary>How many waits come due per second.</summary>
    public int Rate { get; init; } = 20_000;

    /// <summary>Skips the BullMQ baseline (it needs redis-server, node and <c>npm ci --prefix bench/bullmq</c>).</summary>
    public bool SkipBullMq { get; init; }

    /// <summary>Far-away jobs BullMQ holds in its delayed set during its part (the Nudge part holds <see cref="Pending"/>).</summary>
    public int BullMqPending { get; init; }

    public string? ServerDll { get; init; }

    public bool WriteDocs { get; init; } = true;

    public string CommandLine { get; init; } = "";
}
