namespace Nudge.Bench.Flows;

/// <summary>
/// CPU time the measured side used from the first due moment to the end (Nudge's server; BullMQ's worker process and
/// redis-server), and the cores everything else on the machine kept busy meanwhile. On a shared machine the wall-clock
/// rates of the two sides can differ only because a neighbour was busier during one of them; work per CPU-second does
/// not depend on that.
/// </summary>
internal sealed record Effort(double CpuSeconds, double? OtherCores)
{
    public double PerCpuSecond(long taken) => taken / Math.Max(0.001, CpuSeconds);
}
