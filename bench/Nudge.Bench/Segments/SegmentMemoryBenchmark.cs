using System.Diagnostics;
using System.Globalization;
using System.Text;
using Nudge.Testing;

namespace Nudge.Bench.Segments;

/// <summary>
/// <c>nudge-bench segment-memory</c>: the server's resident memory with every profile of a generated history
/// awake (its grain holding the profile and the state of 50 segments), against the same server before.
/// </summary>
internal static class SegmentMemoryBenchmark
{
    public static async Task<int> RunAsync(SegmentBuildSettings settings, int segments, string? repositoryRoot, CancellationToken ct)
    {
        if (BenchServers.ServerDll(settings.ServerDll, repositoryRoot) is not { } serverDll)
        {
            await Console.Error.WriteLineAsync("Cannot find the repository (Nudge.slnx); pass --server-dll.");
            return 2;
        }

        var machine = MachineInfo.Describe(Path.GetTempPath());
        var server = new ServerSettings(Path.Combine(Path.GetTempPath(), $"nudge-bench-{Guid.NewGuid():N}"))
        {
            ServerDll = serverDll,
            AdminKey = "nk_adm_bench_" + Guid.NewGuid().ToString("N"),
            StartTimeout = TimeSpan.FromSeconds(120),
            Environment = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" },
        };
        try
        {
            await (await ServerProcess.StartAsync(server, ct)).DisposeAsync();
            SegmentHistory.Write(Path.Combine(server.DataFolder, "nudge.db"), settings.Profiles, settings.Events, DateTimeOffset.UtcNow, seed: 11);
            Console.WriteLine($"Wrote {settings.Profiles:N0} profiles and {settings.Events:N0} events");

            await using var running = await ServerProcess.StartAsync(server, ct);
            await SegmentLatencyBenchmark.CreateSegmentsAsync(running.Admin, segments, ct);
            var idle = SegmentBuildBenchmark.ResidentMemory(running.ProcessId);
            Console.WriteLine($"{segments} segments built; server memory {idle / 1048576.0:N0} MiB");

            // Asking a profile for its segments wakes its grain: profile, tallies and memberships in memory.
            var clock = Stopwatch.StartNew();
            var ids = Enumerable.Range(0, settings.Profiles).Select(SegmentHistory.ProfileId).ToList();
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (id, token) =>
                (await running.Admin.GetAsync($"/api/profiles/{id}/segments", token)).EnsureSuccessStatusCode());
            var awake = SegmentBuildBenchmark.ResidentMemory(running.ProcessId);
            Console.WriteLine($"All {settings.Profiles:N0} profiles awake after {clock.Elapsed.TotalSeconds:0} s; server memory {awake / 1048576.0:N0} MiB");

            var perProfile = (awake - idle) / (double)settings.Profiles;
            var section = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"### Segment state in memory: {settings.Profiles:N0} profiles awake, {segments} segments (SQLite)")
                .AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"`{settings.CommandLine}` on {DateTimeOffset.UtcNow:yyyy-MM-dd}, {machine.Cores} cores, {machine.Cpu}.")
                .AppendLine()
                .AppendLine("| | server resident memory |")
                .AppendLine("|---|---|")
                .AppendLine(CultureInfo.InvariantCulture, $"| segments built, profiles asleep | {idle / 1048576.0:N0} MiB |")
                .AppendLine(CultureInfo.InvariantCulture, $"| every profile's grain awake (profile, tallies, memberships) | {awake / 1048576.0:N0} MiB |")
                .AppendLine(CultureInfo.InvariantCulture, $"| per awake profile | {perProfile / 1024:N1} KiB |")
                .AppendLine(CultureInfo.InvariantCulture, $"| projected for 1,000,000 awake profiles | {(idle + perProfile * 1_000_000) / 1073741824.0:N1} GiB |")
                .AppendLine()
                .AppendLine("Target: state for 1,000,000 profiles with 50 segments under 4 GiB of process memory. Idle grains are deactivated (Orleans' collection age), so only profiles active within that time are held.")
                .ToString();
            Console.WriteLine(section);
            if (settings.WriteDocs && repositoryRoot is not null)
                BenchmarksDoc.Replace(Path.Combine(repositoryRoot, "docs", "benchmarks.md"), $"segment-memory-{settings.Profiles}", section);
            return 0;
        }
        finally
        {
            BenchServers.DeleteFolder(server.DataFolder);
        }
    }
}
