using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Nudge.Bench.Ingest;
using Nudge.Testing;

namespace Nudge.Bench.Segments;

/// <summary>
/// <c>nudge-bench segment-latency</c>: while a steady stream of realistic events flows in, probe people do the one
/// thing that puts them into a segment; the time from the probe's ingest ack to their membership (and their
/// <c>Segment Entered</c> event) being visible through the admin API is measured, with 50 segments active.
/// </summary>
internal static class SegmentLatencyBenchmark
{
    private const string ProbeEvent = "Probe Clicked";
    private const int BatchSize = 100;

    public static async Task<int> RunAsync(SegmentLatencySettings settings, string? repositoryRoot, CancellationToken ct)
    {
        var serverDll = BenchServers.ServerDll(settings.ServerDll, repositoryRoot);
        if (serverDll is null)
        {
            await Console.Error.WriteLineAsync("Cannot find the repository (Nudge.slnx); pass --server-dll.");
            return 2;
        }

        var machine = MachineInfo.Describe(Path.GetTempPath());
        Console.WriteLine($"Machine: {machine.Cores} cores, {machine.Cpu}; {machine.Os}; {machine.Runtime}; temp on {machine.Storage}");
        var server = BenchServers.UnderLoad(serverDll);
        try
        {
            await using var running = await ServerProcess.StartAsync(server, ct);
            var probeSegment = await CreateSegmentsAsync(running.Admin, settings.Segments, ct);
            Console.WriteLine($"{settings.Segments} segments ready");

            var probes = await PacedLoad.IdentifyProbesAsync(running, settings.Probes, ct);
            var payloads = new Payloads(settings.Users);
            var batchesPerSecond = settings.EventsPerSecond / (double)BatchSize;
            var warmup = payloads.Generate((int)Math.Ceiling(batchesPerSecond * settings.WarmupSeconds), BatchSize);
            var batches = payloads.Generate((int)Math.Ceiling(batchesPerSecond * settings.Seconds), BatchSize);
            // First the people arrive and settle into their segments; only then is latency measured.
            Console.WriteLine($"Warm-up: {settings.EventsPerSecond:N0} events/s for {settings.WarmupSeconds} s ...");
            await PacedLoad.SendAsync(running.BaseAddress, server.WriteKey, warmup, batchesPerSecond, ct);
            Console.WriteLine($"Sending {settings.EventsPerSecond:N0} events/s for {settings.Seconds} s with {probes.Count} probes ...");

            var sending = PacedLoad.SendAsync(running.BaseAddress, server.WriteKey, batches, batchesPerSecond, ct);
            var probing = ProbeAsync(running, probes, probeSegment, TimeSpan.FromSeconds(settings.Seconds), ct);
            var (sent, ackTicks, elapsed) = await sending;
            var latencies = await probing;

            foreach (var line in running.Tail(400).Split('\n').Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("exception", StringComparison.OrdinalIgnoreCase)).Take(20))
                Console.WriteLine("  server: " + line.Trim());
            var section = Report(settings, machine, sent / elapsed.TotalSeconds, ackTicks, latencies);
            Console.WriteLine(section);
            if (settings.WriteDocs && repositoryRoot is not null)
                BenchmarksDoc.Replace(Path.Combine(repositoryRoot, "docs", "benchmarks.md"), $"segment-latency-{settings.EventsPerSecond}", section);
            return 0;
        }
        finally
        {
            BenchServers.DeleteFolder(server.DataFolder);
        }
    }

    /// <summary>Creates the probe segment and enough others to reach <paramref name="count"/>, and waits until all are built.</summary>
    internal static async Task<string> CreateSegmentsAsync(HttpClient admin, int count, CancellationToken ct)
    {
        string[] categories = ["Shoes", "Apparel", "Bags", "Outdoor", "Accessories"];
        var definitions = new List<JsonObject>
        {
            new() { ["name"] = "Probe", ["condition"] = new JsonObject { ["event"] = ProbeEvent, ["window"] = Window(1, "days") } },
        };
        // A shop's usual mix: browsing interest, cart abandonment, big spenders, win-back, repeat buyers.
        for (var i = 0; definitions.Count < count; i++)
        {
            var category = categories[i % categories.Length];
            definitions.Add((i % 5) switch
            {
                0 => Named($"Into {category} {i}", new JsonObject
                {
                    ["event"] = "Product Viewed",
                    ["where"] = new JsonArray(new JsonObject { ["property"] = "category", ["operator"] = "equals", ["value"] = category }),
                    ["count"] = new JsonObject { ["atLeast"] = 3 + (i % 3) },
                    ["window"] = Window(7, "days"),
                }),
                1 => Named($"Cart abandoners {i}", new JsonObject
                {
                    ["and"] = new JsonArray(
                        new JsonObject { ["event"] = "Product Added", ["window"] = Window(1 + i % 24, "hours") },
                        new JsonObject { ["event"] = "Order Completed", ["count"] = new JsonObject { ["exactly"] = 0 }, ["window"] = Window(1 + i % 24, "hours") }),
                }),
                2 => Named($"Big spenders {i}", new JsonObject
                {
                    ["event"] = "Order Completed", ["aggregate"] = "sum", ["of"] = "revenue",
                    ["operator"] = "greaterThan", ["value"] = 200 + i * 20, ["window"] = Window(365, "days"),
                }),
                3 => Named($"Win-back {i}", new JsonObject
                {
                    ["and"] = new JsonArray(
                        new JsonObject { ["event"] = "Order Completed" },
                        new JsonObject { ["event"] = "Order Completed", ["count"] = new JsonObject { ["exactly"] = 0 }, ["window"] = Window(30 + i, "days") }),
                }),
                _ => Named($"Repeat buyers {i}", new JsonObject { ["property"] = "computed.orderCount", ["operator"] = "greaterOrEqual", ["value"] = 2 + (i % 3) }),
            });
        }

        var ids = new List<string>();
        foreach (var definition in definitions)
        {
            var response = await admin.PostAsJsonAsync("/api/segments", definition, ct);
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
            ids.Add((string?)body?["id"] ?? throw new InvalidOperationException($"Creating a segment failed: {body?.ToJsonString()}"));
        }

        foreach (var id in ids)
        {
            while ((string?)(await admin.GetFromJsonAsync<JsonObject>($"/api/segments/{id}", ct))?["status"] != "ready")
                await Task.Delay(50, ct);
        }
        return ids[0];

        static JsonObject Named(string name, JsonObject condition) => new() { ["name"] = name, ["condition"] = condition };
        static JsonObject Window(int last, string unit) => new() { ["last"] = last, ["unit"] = unit };
    }

    /// <summary>One probe about every 200 ms: its event, then polling until the membership and the timeline show it.</summary>
    private static async Task<List<(double Member, double Timeline)>> ProbeAsync(
        ServerProcess server, IReadOnlyList<string> probes, string segmentId, TimeSpan duration, CancellationToken ct)
    {
        var results = new List<(double, double)>();
        var clock = Stopwatch.StartNew();
        foreach (var probe in probes)
        {
            if (clock.Elapsed > duration)
                break;
            var parts = probe.Split(' ');
            var (user, profileId) = (parts[0], parts[1]);
            var message = new JsonObject { ["userId"] = user, ["event"] = ProbeEvent, ["messageId"] = Guid.NewGuid().ToString() };
            (await server.Tracking.PostAsJsonAsync("/v1/track", message, ct)).EnsureSuccessStatusCode();
            var acked = Stopwatch.StartNew();
            double member = -1, timeline = -1;
            while ((member < 0 || timeline < 0) && acked.Elapsed < TimeSpan.FromSeconds(30))
            {
                if (member < 0)
                {
                    var segments = await server.Admin.GetFromJsonAsync<JsonArray>($"/api/profiles/{profileId}/segments", ct);
                    if (segments!.Any(s => (string?)s!["segmentId"] == segmentId && (bool?)s["member"] == true))
                        member = acked.Elapsed.TotalMilliseconds;
                }
                if (timeline < 0)
                {
                    var page = await server.Admin.GetFromJsonAsync<JsonObject>($"/api/profiles/{profileId}/events?limit=5", ct);
                    if (page!["events"]!.AsArray().Any(e => (string?)e!["name"] == "Segment Entered"))
                        timeline = acked.Elapsed.TotalMilliseconds;
                }
                await Task.Delay(5, ct);
            }
            results.Add((member, timeline));
            var next = TimeSpan.FromMilliseconds(200) - acked.Elapsed;
            if (next > TimeSpan.Zero)
                await Task.Delay(next, ct);
        }
        return results;
    }

    private static string Report(SegmentLatencySettings s, MachineInfo machine, double eventsPerSecond, List<long> ackTicks, List<(double Member, double Timeline)> probes)
    {
        var member = probes.Select(p => p.Member).Where(v => v >= 0).Order().ToList();
        var timeline = probes.Select(p => p.Timeline).Where(v => v >= 0).Order().ToList();
        var acks = ackTicks.Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToList();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### Segment latency: {s.Segments} segments while ingesting {s.EventsPerSecond:N0} events/s (SQLite)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"`{s.CommandLine}` on {DateTimeOffset.UtcNow:yyyy-MM-dd}, {machine.Cores} cores, {machine.Cpu}, {machine.Storage}.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Load achieved: {eventsPerSecond:N0} events/s in 100-event batches ({s.Users:N0} users, realistic e-commerce payloads), ack p99 {Percentiles.Of(acks, 0.99):0} ms, after a {s.WarmupSeconds} s warm-up at the same rate.");
        text.AppendLine("Segments: browsing interest (3+ views of a category in 7 days), cart abandonment (carted, no order, within hours), big spenders (revenue sum over 365 days), win-back (ordered, but not in the last 30+ days), repeat buyers (order count), and the probe segment.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Probes: {probes.Count} people each sending the one event that enters them into a segment; measured from the probe's ingest ack, polling the admin API every 5 ms.");
        text.AppendLine();
        text.AppendLine("| visible through the API | p50 | p95 | p99 | max | missing |");
        text.AppendLine("|---|---|---|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| membership (`/api/profiles/{{id}}/segments`) | {Percentiles.Of(member, 0.5):0} ms | {Percentiles.Of(member, 0.95):0} ms | {Percentiles.Of(member, 0.99):0} ms | {member.LastOrDefault():0} ms | {probes.Count - member.Count} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| `Segment Entered` in the timeline | {Percentiles.Of(timeline, 0.5):0} ms | {Percentiles.Of(timeline, 0.95):0} ms | {Percentiles.Of(timeline, 0.99):0} ms | {timeline.LastOrDefault():0} ms | {probes.Count - timeline.Count} |");
        text.AppendLine();
        text.AppendLine("Target: ≤ 250 ms at p99 while ingesting 20,000 events/s with 50 active segments (Dittofeed recomputes every 120 s by default).");
        return text.ToString();
    }
}
