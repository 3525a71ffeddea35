using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Nudge.Bench.Flows;

/// <summary>What the BullMQ baseline measured (bench/bullmq/delayed-jobs.mjs prints it as JSON).</summary>
internal sealed record BullMqResult(
    long Processed, double Seconds, double JobsPerSecond, double? DrainPerSecond, long P50, long P99, long Max,
    Effort Effort, string Version, string Redis, string Node);

/// <summary>
/// The baseline of <c>nudge-bench flow-timers</c>: the same number of delayed no-op jobs, coming due at the same rate,
/// in BullMQ on a local redis-server, taken by one worker process with concurrency 100.
/// </summary>
internal static class BullMqBaseline
{
    public const int Concurrency = 100;

    /// <summary>Why the baseline cannot run here (missing redis-server, node or npm packages), or null when it can.</summary>
    public static string? Missing(string? repositoryRoot)
    {
        if (RedisServer.Binary() is null)
            return "redis-server is not installed: apt-get install redis-server (or pass --skip-bullmq)";
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        if (!path.Split(Path.PathSeparator).Any(folder => folder.Length > 0 && File.Exists(Path.Combine(folder, "node"))))
            return "node is not installed: apt-get install nodejs npm (or pass --skip-bullmq)";
        if (repositoryRoot is null)
            return "cannot find the repository (Nudge.slnx) for bench/bullmq (or pass --skip-bullmq)";
        if (!Directory.Exists(Path.Combine(repositoryRoot, "bench", "bullmq", "node_modules", "bullmq")))
            return "bullmq is not installed: run `npm ci --prefix bench/bullmq` (or pass --skip-bullmq)";
        return null;
    }

    public static async Task<BullMqResult> RunAsync(string repositoryRoot, FlowTimersSettings settings, CancellationToken ct)
    {
        await using var redis = await RedisServer.StartAsync(ct);
        var script = Path.Combine(repositoryRoot, "bench", "bullmq", "delayed-jobs.mjs");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(script)! };
        start.ArgumentList.Add(script);
        foreach (var (name, value) in new[]
                 {
                     ("--port", redis.Port), ("--due", settings.Due), ("--rate", settings.Rate), ("--warmup", settings.Warmup),
                     ("--pending", settings.BullMqPending), ("--concurrency", Concurrency),
                 })
        {
            start.ArgumentList.Add(name);
            start.ArgumentList.Add(value.ToString(CultureInfo.InvariantCulture));
        }

        // Progress goes to stderr, straight to the console; the figures come as one JSON line on stdout.
        using var node = Process.Start(start) ?? throw new InvalidOperationException("cannot start node");
        var output = await node.StandardOutput.ReadToEndAsync(ct);
        await node.WaitForExitAsync(ct);
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (node.ExitCode != 0 || line is null)
            throw new InvalidOperationException($"bench/bullmq/delayed-jobs.mjs failed (exit code {node.ExitCode})");

        try
        {
            using var json = JsonDocument.Parse(line);
            var r = json.RootElement;
            return new BullMqResult(
                r.GetProperty("processed").GetInt64(),
                r.GetProperty("seconds").GetDouble(),
                r.GetProperty("jobsPerSecond").GetDouble(),
                r.GetProperty("drainPerSecond").ValueKind == JsonValueKind.Number ? r.GetProperty("drainPerSecond").GetDouble() : null,
                (long)r.GetProperty("p50").GetDouble(),
                (long)r.GetProperty("p99").GetDouble(),
                (long)r.GetProperty("max").GetDouble(),
                new Effort(r.GetProperty("cpuSeconds").GetDouble(), r.GetProperty("otherCores").ValueKind == JsonValueKind.Number ? r.GetProperty("otherCores").GetDouble() : null),
                r.GetProperty("bullmq").GetString() ?? "?",
                r.GetProperty("redis").GetString() ?? "?",
                r.GetProperty("node").GetString() ?? "?");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidOperationException($"unexpected output of bench/bullmq/delayed-jobs.mjs: {line}", e);
        }
    }
}
