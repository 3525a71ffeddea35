namespace Nudge.Bench;

/// <summary>Percentiles of measured times, as the latency benchmarks report them.</summary>
internal static class Percentiles
{
    /// <summary>The <paramref name="q"/> quantile (nearest rank) of an ascending list; NaN when it is empty.</summary>
    public static double Of(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
}
