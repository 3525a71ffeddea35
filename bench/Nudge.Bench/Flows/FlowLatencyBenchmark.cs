using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Nudge.Bench.Ingest;
using Nudge.Testing;

namespace Nudge.Bench.Flows;

/// <summary>
/// <c>nudge-bench flow-latency</c>: while a steady stream of realistic events flows in, probe people send a flow's
/// trigger event; measured is the time from the trigger's ingest ack until the message of the flow's first step (a
/// send) is in the outbox, visible through the admin API.
/// </summary>
internal static class FlowLatencyBenchmark
{
    private const string TriggerEvent = "Bench Checkout Started";
    private const int BatchSize = 100;
    private static readonly TimeSpan ProbeEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(FlowLatencySettings settings, string? repositoryRoot, CancellationToken ct)
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
            await CreateFlowAsync(running.Admin, ct);
            var probeCount = (int)(settings.Seconds / ProbeEvery.TotalSeconds);
            var probes = await PacedLoad.IdentifyProbesAsync(running, probeCount, ct);
            var payloads = new Payloads(settings.Users);
            var batchesPerSecond = settings.EventsPerSecond / (double)BatchSize;
            var warmup = payloads.Generate((int)Math.Ceiling(batchesPerSecond * settings.WarmupSeconds), BatchSize);
            var batches = payloads.Generate((int)Math.Ceiling(batchesPerSecond * settings.Seconds), BatchSize);
            Console.WriteLine($"Warm-up: {settings.EventsPerSecond:N0} events/s for {settings.WarmupSeconds} s ...");
            await PacedLoad.SendAsync(running.BaseAddress, server.WriteKey, warmup, batchesPerSecond, ct);
            Console.WriteLine($"Sending {settings.EventsPerSecond:N0} events/s for {settings.Seconds} s with a trigger every {ProbeEvery.TotalMilliseconds:0} ms ...");

            var sending = PacedLoad.SendAsync(running.BaseAddress, server.WriteKey, batches, batchesPerSecond, ct);
            var probing = ProbeAsync(running, probes, ct);
            var (sent, ackTicks, elapsed) = await sending;
            var latencies = await probing;

            var section = Report(settings, machine, sent / elapsed.TotalSeconds, ackTicks, latencies);
            Console.WriteLine(section);
            if (settings.WriteDocs && repositoryRoot is not null)
                BenchmarksDoc.Replace(Path.Combine(repositoryRoot, "docs", "benchmarks.md"), $"flow-latency-{settings.EventsPerSecond}", section);
            return 0;
        }
        finally
        {
            BenchServers.DeleteFolder(server.DataFolder);
        }
    }

    /// <summary>A live flow whose first step sends an email when the trigger event comes.</summary>
    private static async Task CreateFlowAsync(HttpClient admin, CancellationToken ct)
    {
        var template = await CreatedAsync(admin, "/api/templates", new JsonObject
        {
            ["name"] = "bench-cart",
            ["kind"] = "email",
            ["subject"] = "Your cart",
            ["html"] = "<p>You left {{ event.value | money }} in your cart.</p>",
        }, ct);
        var flow = await CreatedAsync(admin, "/api/flows", new JsonObject
        {
            ["name"] = "Bench cart",
            ["trigger"] = new JsonObject { ["event"] = TriggerEvent },
            ["start"] = "send",
            ["steps"] = new JsonObject { ["send"] = new JsonObject { ["type"] = "send", ["channel"] = "email", ["template"] = template } },
        }, ct);
        (await admin.PostAsync($"/api/flows/{flow}/activate", null, ct)).EnsureSuccessStatusCode();
    }

    private static async Task<string> CreatedAsync(HttpClient admin, string path, JsonObject body, CancellationToken ct)
    {
        var response = await admin.PostAsJsonAsync(path, body, ct);
        var created = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
        return (string?)created?["id"] ?? throw new InvalidOperationException($"POST {path} failed: {created?.ToJsonString()}");
    }

    /// <summary>A trigger every 100 ms, each followed until its message is in the outbox; the probes overlap when that takes longer.</summary>
    private static async Task<List<(double Visible, double Queued)>> ProbeAsync(ServerProcess server, IReadOnlyList<string> probes, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var running = new List<Task<(double, double)>>();
        for (var i = 0; i < probes.Count; i++)
        {
            var due = ProbeEvery * i;
            if (due > clock.Elapsed)
                await Task.Delay(due - clock.Elapsed, ct);
            var parts = probes[i].Split(' ');
            running.Add(ProbeOneAsync(server, parts[0], parts[1], ct));
        }
        return [.. await Task.WhenAll(running)];
    }

    /// <summary>
    /// Visible: from the ack to the first poll that finds the message (polled every 5 ms). Queued: the message's own
    /// creation time (the server's clock, when the step ran) minus the ack time (this machine's clock, the same one).
    /// </summary>
    private static async Task<(double Visible, double Queued)> ProbeOneAsync(ServerProcess server, string user, string profileId, CancellationToken ct)
    {
        var message = new JsonObject
        {
            ["userId"] = user,
            ["event"] = TriggerEvent,
            ["messageId"] = Guid.NewGuid().ToString(),
            ["properties"] = new JsonObject { ["value"] = 49.9, ["currency"] = "EUR" },
        };
        (await server.Tracking.PostAsJsonAsync("/v1/track", message, ct)).EnsureSuccessStatusCode();
        var ackedAt = DateTimeOffset.UtcNow;
        var acked = Stopwatch.StartNew();
        while (acked.Elapsed < GiveUpAfter)
        {
            var page = await server.Admin.GetFromJsonAsync<JsonObject>($"/api/messages?profileId={profileId}", ct);
            if (page!["messages"]!.AsArray().FirstOrDefault() is { } found)
            {
                var visible = acked.Elapsed.TotalMilliseconds;
                var created = DateTimeOffset.Parse((string)found["createdAt"]!, CultureInfo.InvariantCulture);
                return (visible, (created - ackedAt).TotalMilliseconds);
            }
            await Task.Delay(PollEvery, ct);
        }
        return (-1, -1);
    }

    private static string Report(FlowLatencySettings s, MachineInfo machine, double eventsPerSecond, List<long> ackTicks, List<(double Visible, double Queued)> probes)
    {
        var found = probes.Where(p => p.Visible >= 0).ToList();
        var visible = found.Select(p => p.Visible).Order().ToList();
        var queued = found.Select(p => p.Queued).Order().ToList();
        var acks = ackTicks.Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToList();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### Flow latency: trigger event to the first step's message in the outbox, while ingesting {s.EventsPerSecond:N0} events/s (SQLite)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"`{s.CommandLine}` on {DateTimeOffset.UtcNow:yyyy-MM-dd}, {machine.Cores} cores, {machine.Cpu}, {machine.Storage}.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Load achieved: {eventsPerSecond:N0} events/s in 100-event batches ({s.Users:N0} users, realistic e-commerce payloads), ack p99 {Percentiles.Of(acks, 0.99):0} ms, after a {s.WarmupSeconds} s warm-up at the same rate.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Probes: {probes.Count} people, one every {ProbeEvery.TotalMilliseconds:0} ms, each sending the trigger of a live flow whose first step sends an email; measured from the trigger's ingest ack.");
        text.AppendLine();
        text.AppendLine("| | p50 | p95 | p99 | max | missing |");
        text.AppendLine("|---|---|---|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| message visible in the outbox (`/api/messages`, polled every {PollEvery.TotalMilliseconds:0} ms) | {Percentiles.Of(visible, 0.5):0} ms | {Percentiles.Of(visible, 0.95):0} ms | {Percentiles.Of(visible, 0.99):0} ms | {visible.LastOrDefault():0} ms | {probes.Count - found.Count} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| step ran (the message's creation time) | {Percentiles.Of(queued, 0.5):0} ms | {Percentiles.Of(queued, 0.95):0} ms | {Percentiles.Of(queued, 0.99):0} ms | {queued.LastOrDefault():0} ms | |");
        text.AppendLine();
        text.AppendLine("Target: p99 ≤ 50 ms at 5,000 events/s.");
        return text.ToString();
    }
}
