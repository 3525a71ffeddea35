using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Nudge.Testing;

namespace Nudge.Bench.Segments;

/// <summary>
/// <c>nudge-bench segment-build</c>: a new segment with an event-window condition built over a large history, timed
/// through the API of a running server, against one plain SQL query computing the same membership on the same
/// database in the same run.
/// </summary>
internal static class SegmentBuildBenchmark
{
    private const string Category = "shoes";
    private const int Views = 2;
    private const int Days = 30;

    public static async Task<int> RunAsync(SegmentBuildSettings settings, string? repositoryRoot, CancellationToken ct)
    {
        var serverDll = BenchServers.ServerDll(settings.ServerDll, repositoryRoot);
        if (serverDll is null)
        {
            await Console.Error.WriteLineAsync("Cannot find the repository (Nudge.slnx); pass --server-dll.");
            return 2;
        }

        var machine = MachineInfo.Describe(Path.GetTempPath());
        Console.WriteLine($"Machine: {machine.Cores} cores, {machine.Cpu}; {machine.Os}; {machine.Runtime}; temp on {machine.Storage}");
        var server = new ServerSettings(Path.Combine(Path.GetTempPath(), $"nudge-bench-{Guid.NewGuid():N}"))
        {
            ServerDll = serverDll,
            AdminKey = "nk_adm_bench_" + Guid.NewGuid().ToString("N"),
            StartTimeout = TimeSpan.FromSeconds(120),
            Environment = new Dictionary<string, string>
            {
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Nudge.Engine.Segments.SegmentBuilds"] = "Information",
            },
        };
        var database = Path.Combine(server.DataFolder, "nudge.db");
        try
        {
            // A first start creates and migrates the database; the history is then written into it directly.
            await (await ServerProcess.StartAsync(server, ct)).DisposeAsync();
            var now = DateTimeOffset.UtcNow;
            var generation = Stopwatch.StartNew();
            SegmentHistory.Write(database, settings.Profiles, settings.Events, now, seed: 7);
            Console.WriteLine($"Wrote {settings.Profiles:N0} profiles and {settings.Events:N0} events in {generation.Elapsed.TotalSeconds:0} s " +
                $"({new FileInfo(database).Length / 1024.0 / 1024 / 1024:0.0} GiB)");

            var (sqlCount, sqlTime) = PlainQuery(database, DateTimeOffset.UtcNow);
            Console.WriteLine($"Plain SQL query: {sqlCount:N0} profiles in {sqlTime.TotalSeconds:0.0} s");

            await using var running = await ServerProcess.StartAsync(server, ct);
            var clock = Stopwatch.StartNew();
            var created = await running.Admin.PostAsJsonAsync("/api/segments", Definition(), ct);
            var segment = await created.Content.ReadFromJsonAsync<JsonObject>(ct) ?? throw new InvalidOperationException("No segment returned");
            var id = (string)segment["id"]!;
            while ((string?)segment["status"] != "ready")
            {
                await Task.Delay(100, ct);
                segment = await running.Admin.GetFromJsonAsync<JsonObject>($"/api/segments/{id}", ct) ?? segment;
            }
            var buildTime = clock.Elapsed;
            var count = (long)(await running.Admin.GetFromJsonAsync<JsonObject>($"/api/segments/{id}/count", ct))!["count"]!;
            var memory = ResidentMemory(running.ProcessId);
            Console.WriteLine($"Nudge build: {count:N0} members in {buildTime.TotalSeconds:0.0} s; server memory {memory / 1024.0 / 1024:N0} MiB");
            foreach (var line in running.Tail(20).Split('\n').Where(l => l.Contains("Segment seg_", StringComparison.Ordinal)))
                Console.WriteLine("  server: " + line.Trim());

            var section = Report(settings, machine, buildTime, count, sqlTime, sqlCount, memory);
            Console.WriteLine(section);
            if (settings.WriteDocs && repositoryRoot is not null)
                BenchmarksDoc.Replace(Path.Combine(repositoryRoot, "docs", "benchmarks.md"), $"segment-build-{settings.Profiles}", section);
            return 0;
        }
        finally
        {
            BenchServers.DeleteFolder(server.DataFolder);
        }
    }

    private static JsonObject Definition() => new()
    {
        ["name"] = "Viewed shoes twice in 30 days",
        ["condition"] = new JsonObject
        {
            ["event"] = "Product Viewed",
            ["where"] = new JsonArray(new JsonObject { ["property"] = "category", ["operator"] = "equals", ["value"] = Category }),
            ["count"] = new JsonObject { ["atLeast"] = Views },
            ["window"] = new JsonObject { ["last"] = Days, ["unit"] = "days" },
        },
    };

    /// <summary>The same membership as one SQL statement: what a batch tool would run on every refresh.</summary>
    private static (long Count, TimeSpan Time) PlainQuery(string database, DateTimeOffset now)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT COUNT(*) FROM (SELECT profile_id FROM events WHERE workspace_id = $ws AND type = 0 AND name = 'Product Viewed' " +
            "AND timestamp > $cutoff AND json_extract(body, '$.properties.category') = $category GROUP BY profile_id HAVING COUNT(*) >= $views)";
        command.Parameters.AddWithValue("$ws", SegmentHistory.Workspace);
        command.Parameters.AddWithValue("$cutoff", now.AddDays(-Days).ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$category", Category);
        command.Parameters.AddWithValue("$views", Views);
        command.CommandTimeout = 0;
        var clock = Stopwatch.StartNew();
        var count = (long)command.ExecuteScalar()!;
        return (count, clock.Elapsed);
    }

    internal static long ResidentMemory(int processId)
    {
        var status = $"/proc/{processId}/status";
        if (!File.Exists(status))
            return 0;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static string Report(SegmentBuildSettings s, MachineInfo machine, TimeSpan build, long count, TimeSpan sql, long sqlCount, long memory)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### Segment build: {s.Profiles:N0} profiles, {s.Events:N0} events (SQLite)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"`{s.CommandLine}` on {DateTimeOffset.UtcNow:yyyy-MM-dd}, {machine.Cores} cores, {machine.Cpu}, {machine.Storage}.");
        text.AppendLine();
        text.AppendLine("Segment: `Product Viewed` where category = shoes, at least 2 times in the last 30 days, created through the API on a server whose log already holds the history.");
        text.AppendLine();
        text.AppendLine("| | time | members |");
        text.AppendLine("|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Nudge background build (create → ready) | {build.TotalSeconds:0.0} s | {count:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| one plain SQL query (GROUP BY with json_extract) | {sql.TotalSeconds:0.0} s | {sqlCount:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| ratio | {build.TotalSeconds / Math.Max(sql.TotalSeconds, 0.001):0.00}× the query | |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Server resident memory after the build: {memory / 1024.0 / 1024:N0} MiB. Target: ≤ 60 s for 1,000,000 profiles and 20,000,000 events.");
        text.AppendLine("Member counts differ from the query only by events that crossed the 30-day boundary between the two measurements.");
        return text.ToString();
    }
}
