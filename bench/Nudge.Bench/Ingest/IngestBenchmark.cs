using System.Diagnostics;
using Nudge.Testing;

namespace Nudge.Bench.Ingest;

/// <summary>
/// <c>nudge-bench ingest</c>: durable ingestion through <c>/v1/batch</c>, against a plain batched SQLite insert of
/// the same rows measured in the same run.
/// </summary>
internal static class IngestBenchmark
{
    /// <summary>Server output lines are cut to this length in the console.</summary>
    private const int MaxLineLength = 300;

    public static async Task<int> RunAsync(IngestSettings settings, string? repositoryRoot, CancellationToken ct)
    {
        var serverDll = settings.Url is null
            ? BenchServers.ServerDll(settings.ServerDll, repositoryRoot)
            : null;
        if (settings.Url is null && serverDll is null)
        {
            await Console.Error.WriteLineAsync("Cannot find the repository (Nudge.slnx); pass --server-dll or --url.");
            return 2;
        }

        var machine = MachineInfo.Describe(Path.GetTempPath());
        Console.WriteLine($"Machine: {machine.Cores} cores, {machine.Cpu}; {machine.Os}; {machine.Runtime}; temp on {machine.Storage}");

        var generation = Stopwatch.StartNew();
        var payloads = new Payloads(settings.Users);
        var warmup = payloads.Generate(settings.WarmupBatches, settings.BatchSize);
        var timed = payloads.Generate(settings.TimedBatches, settings.BatchSize);
        var events = timed.Sum(b => b.Rows.Length);
        var eventBytes = timed.Sum(b => b.Rows.Sum(r => (long)r.Length)) / (double)events;
        var batchBytes = timed.Average(b => b.Body.Length);
        Console.WriteLine($"Generated {warmup.Length + timed.Length:N0} batches of {settings.BatchSize} events in {generation.Elapsed.TotalSeconds:0.0} s: " +
            $"{eventBytes:0} B per event, {batchBytes / 1024:0.0} KiB per request");

        BaselineResult? baseline = null, timeOrdered = null;
        if (settings.BaselineRows > 0)
        {
            Console.WriteLine($"Plain SQLite insert of {settings.BaselineRows:N0} rows (random UUID v4 message ids, UNIQUE index) ...");
            baseline = SqliteBaseline.Run(timed, settings.BaselineRows, timeOrderedKeys: false, Path.GetTempPath());
            Console.WriteLine($"  {baseline.RowsPerSecond:N0} rows/s");
            Console.WriteLine("Same insert with time-ordered (UUID v7) message ids, for reference ...");
            timeOrdered = SqliteBaseline.Run(timed, settings.BaselineRows, timeOrderedKeys: true, Path.GetTempPath());
            Console.WriteLine($"  {timeOrdered.RowsPerSecond:N0} rows/s");
        }

        ServerSettings? serverSettings = null;
        ServerProcess? server = null;
        try
        {
            if (settings.Url is null)
            {
                Console.WriteLine($"Starting {serverDll} ...");
                serverSettings = BenchServer(serverDll!, settings.ServerLog, settings.EngineOff);
                server = await ServerProcess.StartAsync(serverSettings, ct);
            }

            var result = await MeasureAsync(settings, server, warmup, timed, ct);
            var report = new IngestReport(settings, machine, eventBytes, result, baseline, timeOrdered);
            Console.WriteLine();
            Console.WriteLine(report.ConsoleTable());
            if (server is not null && result.ServerLines > 0)
                Console.WriteLine($"The server wrote {result.ServerLines} lines of warnings or errors during the timed part; the last ones:\n{server.Tail(4, MaxLineLength)}");

            if (settings.WriteDocs && repositoryRoot is not null)
            {
                var docs = Path.Combine(repositoryRoot, "docs", "benchmarks.md");
                BenchmarksDoc.Replace(docs, settings.DocsSection, report.Markdown());
                Console.WriteLine($"Recorded in {Path.GetRelativePath(Directory.GetCurrentDirectory(), docs)}");
            }

            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TimeoutException or FileNotFoundException)
        {
            await Console.Error.WriteLineAsync($"The benchmark failed: {ex.Message}");
            if (server is not null)
                await Console.Error.WriteLineAsync($"The server {server.State}; its last output:\n{server.Tail(40, MaxLineLength)}");
            return 1;
        }
        finally
        {
            if (server is not null)
                await server.DisposeAsync();
            if (serverSettings is not null)
                BenchServers.DeleteFolder(serverSettings.DataFolder);
        }
    }

    /// <summary>The load benchmarks' server, with its log where asked and profile processing on or off.</summary>
    private static ServerSettings BenchServer(string serverDll, string? logFile, bool engineOff)
    {
        var server = BenchServers.UnderLoad(serverDll);
        return server with
        {
            LogFile = logFile,
            Environment = new Dictionary<string, string>(server.Environment) { ["Nudge__Engine__ProcessEvents"] = engineOff ? "false" : "true" },
        };
    }

    private static async Task<IngestMeasurement> MeasureAsync(
        IngestSettings settings, ServerProcess? server, PayloadBatch[] warmup, PayloadBatch[] timed, CancellationToken ct)
    {
        var url = server?.BaseAddress ?? settings.Url!;
        var backlog = server is null || settings.EngineOff ? null : new EngineBacklog(Path.Combine(server.Settings.DataFolder, "nudge.db"));
        using var sender = new BatchSender(url, server?.Settings.WriteKey ?? settings.WriteKey!, settings.Concurrency);

        if (warmup.Length > 0)
        {
            Console.WriteLine($"Warm-up: {warmup.Length * settings.BatchSize:N0} events, concurrency {settings.Concurrency} ...");
            var w = await sender.SendAsync(warmup, ct);
            Console.WriteLine($"  {w.Accepted / w.Elapsed.TotalSeconds:N0} events/s");
        }

        var backlogBefore = backlog is null ? null : await backlog.CountAsync(ct);
        var linesBefore = server?.OutputLines ?? 0;
        Console.WriteLine($"Timed: {timed.Length * settings.BatchSize:N0} events, concurrency {settings.Concurrency} ...");
        var cpuBefore = CpuSample.Take(server?.ProcessId);
        var send = await sender.SendAsync(timed, ct);
        var cpu = CpuSample.Take(server?.ProcessId).Since(cpuBefore);
        var backlogAfter = backlog is null ? null : await backlog.CountAsync(ct);

        TimeSpan? drained = null;
        CpuUse? drainCpu = null;
        if (backlog is not null && backlogAfter > 0 && settings.DrainTimeout > TimeSpan.Zero)
        {
            Console.WriteLine($"Waiting up to {settings.DrainTimeout.TotalSeconds:0} s for the engine to apply the {backlogAfter:N0} events left ...");
            var drainStart = CpuSample.Take(server!.ProcessId);
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < settings.DrainTimeout)
            {
                if (await backlog.CountAsync(ct) == 0)
                {
                    drained = watch.Elapsed;
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            }

            drainCpu = CpuSample.Take(server.ProcessId).Since(drainStart);
        }

        return new IngestMeasurement(send, cpu, backlogBefore, backlogAfter, drained, drainCpu, (server?.OutputLines ?? 0) - linesBefore);
    }
}

/// <summary>The raw figures of the HTTP part of a run.</summary>
internal sealed record IngestMeasurement(
    SendResult Send, CpuUse Cpu, long? BacklogBefore, long? BacklogAfter, TimeSpan? Drained, CpuUse? DrainCpu, int ServerLines);
