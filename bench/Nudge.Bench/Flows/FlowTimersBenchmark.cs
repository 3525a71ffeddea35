using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Nudge.Storage.Events;
using Nudge.Testing;

namespace Nudge.Bench.Flows;

/// <summary>
/// <c>nudge-bench flow-timers</c>: a server holding millions of waiting flow runs in its timer table, while a
/// stream of other runs' waits comes due at a fixed rate. Each due wait wakes its profile's grain, which moves
/// the run on to a send step (message into the outbox) and completes it. Measures how late each wait is taken
/// (history time of the send minus the moment) and how many run steps per second the engine sustains.
/// </summary>
internal static class FlowTimersBenchmark
{
    private const string Workspace = "bench";
    private const string FlowId = "flw_bench";
    private const string Definition =
        """{"name":"Bench","trigger":{"manual":true},"start":"wait","steps":{"wait":{"type":"wait","duration":{"minutes":1},"next":"send"},"send":{"type":"send","channel":"email","template":"tpl_bench"}}}""";

    public static async Task<int> RunAsync(FlowTimersSettings settings, string? repositoryRoot, CancellationToken ct)
    {
        var serverDll = BenchServers.ServerDll(settings.ServerDll, repositoryRoot);
        if (serverDll is null)
        {
            await Console.Error.WriteLineAsync("Cannot find the repository (Nudge.slnx); pass --server-dll.");
            return 2;
        }

        if (!settings.SkipBullMq && BullMqBaseline.Missing(repositoryRoot) is { } missing)
        {
            await Console.Error.WriteLineAsync($"The BullMQ baseline cannot run: {missing}.");
            return 2;
        }

        var machine = MachineInfo.Describe(Path.GetTempPath());
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
        Console.WriteLine($"Machine: {machine.Cores} cores, {machine.Cpu}; {machine.Os}; {machine.Runtime}; temp on {machine.Storage}; load average {load} at start");
        var server = new ServerSettings(Path.Combine(Path.GetTempPath(), $"nudge-bench-{Guid.NewGuid():N}"))
        {
            ServerDll = serverDll,
            AdminKey = "nk_adm_bench_" + Guid.NewGuid().ToString("N"),
            StartTimeout = TimeSpan.FromSeconds(300),
            Environment = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" },
        };
        var database = Path.Combine(server.DataFolder, "nudge.db");
        try
        {
            await (await ServerProcess.StartAsync(server, ct)).DisposeAsync();
            var generation = Stopwatch.StartNew();
            // The first wait comes due a while after the writing ends, once the server is up again.
            var firstDue = Write(database, settings, generation);
            Console.WriteLine($"Wrote {settings.Pending:N0} pending and {settings.Due:N0} due runs in {generation.Elapsed.TotalSeconds:0} s " +
                $"({new FileInfo(database).Length / 1024.0 / 1024 / 1024:0.0} GiB)");

            long completed;
            Result result;
            Effort effort;
            await using (var running = await ServerProcess.StartAsync(server, ct))
            {
                var lastDue = firstDue + (settings.Due - 1) * 1000L / settings.Rate;
                var wait = Math.Max(0, firstDue - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                Console.WriteLine($"Server up; first wait due in {wait / 1000.0:0.0} s, the last {(lastDue - firstDue) / 1000.0:0.0} s later");
                var atFirstDue = SampleAtAsync(running.ProcessId, wait, ct);
                completed = await WaitForCompletionAsync(database, settings.Due, lastDue, ct);
                var end = CpuSample.Take(running.ProcessId);
                var begin = await atFirstDue;
                var use = end.Since(begin);
                effort = new Effort((use.ServerCores ?? 0) * Stopwatch.GetElapsedTime(begin.At, end.At).TotalSeconds, use.OtherCores);
                result = Measure(database, firstDue);
            }
            Console.WriteLine($"Nudge: completed {completed:N0} of {settings.Due:N0}; {result.WakeUpsPerSecond:N0} wake-ups/s, {result.StepsPerSecond:N0} steps/s" +
                (result.DrainPerSecond is { } behind ? $" (drained {behind:N0}/s once behind)" : "") + "; " +
                $"lateness p50 {result.P50} ms, p99 {result.P99} ms, max {result.Max} ms; {effort.PerCpuSecond(completed):N0} wake-ups per CPU-second of the server, " +
                $"{effort.OtherCores:0.0} cores busy with other work");

            // The server is stopped before BullMQ runs, so the two never share the cores.
            BullMqResult? bullMq = null;
            var skipped = "The BullMQ baseline was skipped (`--skip-bullmq`).";
            if (!settings.SkipBullMq)
            {
                try
                {
                    bullMq = await BullMqBaseline.RunAsync(repositoryRoot!, settings, ct);
                }
                catch (InvalidOperationException e)
                {
                    // Nudge's figures are kept: they took long to measure.
                    skipped = $"The BullMQ baseline failed: {e.Message}";
                    await Console.Error.WriteLineAsync(skipped);
                }
            }
            if (bullMq is not null)
            {
                Console.WriteLine($"BullMQ {bullMq.Version}: processed {bullMq.Processed:N0} of {settings.Due:N0}; {bullMq.JobsPerSecond:N0} jobs/s" +
                    (bullMq.DrainPerSecond is { } drain ? $" (drained {drain:N0}/s once behind)" : "") +
                    $"; lateness p50 {bullMq.P50} ms, p99 {bullMq.P99} ms, max {bullMq.Max} ms; {bullMq.Effort.PerCpuSecond(bullMq.Processed):N0} jobs per CPU-second " +
                    $"of the worker and redis-server, {bullMq.Effort.OtherCores:0.0} cores busy with other work");
                var ratios = Ratios.Of(result, bullMq);
                Console.WriteLine($"Nudge ÷ BullMQ: step executions/s {ratios.Steps:0.00}× (target ≥ 2×), wake-ups/s {ratios.WakeUps:0.00}×, " +
                    $"per CPU-second {effort.PerCpuSecond(completed) / bullMq.Effort.PerCpuSecond(bullMq.Processed):0.00}×; " +
                    $"lateness p99 {ratios.P99:0.00}×, max {ratios.Max:0.00}× (no worse: ≤ 1×)");
            }

            var section = Report(settings, machine, load, result, completed, effort, bullMq, skipped);
            Console.WriteLine(section);
            if (settings.WriteDocs && repositoryRoot is not null)
                BenchmarksDoc.Replace(Path.Combine(repositoryRoot, "docs", "benchmarks.md"), "flow-timers", section);
            return settings.SkipBullMq || bullMq is not null ? 0 : 1;
        }
        finally
        {
            BenchServers.DeleteFolder(server.DataFolder);
        }
    }

    /// <summary>Writes the flow, the pending runs, the due runs and their profiles; returns the first due moment (ms).</summary>
    private static async Task<CpuSample> SampleAtAsync(int serverProcessId, long delayMilliseconds, CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(delayMilliseconds), ct);
        return CpuSample.Take(serverProcessId);
    }

    private static long Write(string databaseFile, FlowTimersSettings settings, Stopwatch clock)
    {
        using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=false");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Execute(connection,
            $"INSERT INTO flows (id, workspace_id, name, status, version, live_version, created_at, updated_at) VALUES ('{FlowId}', '{Workspace}', 'Bench', 'live', 1, 1, {now}, {now});" +
            $"INSERT INTO flow_versions (flow_id, version, definition, move_runs, created_at) VALUES ('{FlowId}', 1, '{Definition}', 0, {now});");

        var farAway = now + (long)TimeSpan.FromDays(30).TotalMilliseconds;
        InsertRuns(connection, "pending", settings.Pending, _ => farAway, withProfiles: false);
        // Writing the due runs takes a while too: their moments start after it, plus time for the server to start.
        var perSecond = 400_000.0;
        // Warm-up runs come due first (the server's code is still being compiled to its fast tier), then, after a
        // pause, the measured ones.
        var warmupStart = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (long)((settings.Due + settings.Warmup) / perSecond * 1000) + 40_000;
        InsertRuns(connection, "warm", settings.Warmup, i => warmupStart + i * 1000L / settings.Rate, withProfiles: true);
        var firstDue = warmupStart + settings.Warmup * 1000L / settings.Rate + 5_000;
        InsertRuns(connection, "due", settings.Due, i => firstDue + i * 1000L / settings.Rate, withProfiles: true);
        Console.WriteLine($"  (writing took {clock.Elapsed.TotalSeconds:0} s)");
        return firstDue;
    }

    private static void InsertRuns(SqliteConnection connection, string kind, int count, Func<int, long> due, bool withProfiles)
    {
        const int PerTransaction = 200_000;
        for (var start = 0; start < count; start += PerTransaction)
        {
            using var transaction = connection.BeginTransaction();
            using var run = connection.CreateCommand();
            run.Transaction = transaction;
            run.CommandText =
                "INSERT INTO flow_runs (id, workspace_id, flow_id, version, profile_id, status, step, started_at, updated_at, ended_at, end_reason, " +
                "trigger_event, wait_due, wait_for_event, steps_taken) VALUES ($id, $ws, $flow, 1, $profile, 'active', 'wait', $at, $at, NULL, NULL, $trigger, $due, 0, 1)";
            var id = run.Parameters.Add("$id", SqliteType.Text);
            run.Parameters.AddWithValue("$ws", Workspace);
            run.Parameters.AddWithValue("$flow", FlowId);
            var profile = run.Parameters.Add("$profile", SqliteType.Text);
            var at = run.Parameters.Add("$at", SqliteType.Integer);
            var trigger = run.Parameters.Add("$trigger", SqliteType.Text);
            var dueAt = run.Parameters.Add("$due", SqliteType.Integer);
            run.Prepare();

            using var timer = connection.CreateCommand();
            timer.Transaction = transaction;
            timer.CommandText = "INSERT INTO timers (profile_id, kind, timer_key, partition, due) VALUES ($profile, 'flow', $id, $partition, $due)";
            var timerProfile = timer.Parameters.Add("$profile", SqliteType.Text);
            var timerId = timer.Parameters.Add("$id", SqliteType.Text);
            var partition = timer.Parameters.Add("$partition", SqliteType.Integer);
            var timerDue = timer.Parameters.Add("$due", SqliteType.Integer);
            timer.Prepare();

            using var person = connection.CreateCommand();
            person.Transaction = transaction;
            person.CommandText = "INSERT INTO profiles (id, workspace_id, state, search_text, last_seen, erased) VALUES ($id, $ws, $state, $id, NULL, 0)";
            var personId = person.Parameters.Add("$id", SqliteType.Text);
            person.Parameters.AddWithValue("$ws", Workspace);
            var state = person.Parameters.Add("$state", SqliteType.Text);
            person.Prepare();

            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (var i = start; i < Math.Min(count, start + PerTransaction); i++)
            {
                var profileId = $"prf_{kind}_{i:D8}";
                var runId = $"run_{kind}_{i:D8}";
                var moment = due(i);
                (id.Value, profile.Value, at.Value, trigger.Value, dueAt.Value) = (runId, profileId, now, $$"""{"due":{{moment}}}""", moment);
                run.ExecuteNonQuery();
                (timerProfile.Value, timerId.Value, partition.Value, timerDue.Value) = (profileId, runId, (long)Partitioning.Of(profileId), moment);
                timer.ExecuteNonQuery();
                if (withProfiles)
                {
                    (personId.Value, state.Value) = (profileId, $$"""{"id":"{{profileId}}","workspaceId":"{{Workspace}}","identities":[{"kind":"Email","value":"{{profileId}}@example.com"}]}""");
                    person.ExecuteNonQuery();
                }
            }
            transaction.Commit();
        }
    }

    private static async Task<long> WaitForCompletionAsync(string databaseFile, int due, long lastDue, CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly;Pooling=false");
        await connection.OpenAsync(ct);
        long waiting = due;
        // Done when no measured wake-up is left in the timer table (a range count on its due index: cheap, so the
        // watching takes no CPU from the server), or well after the last moment when the engine cannot keep up.
        while (waiting > 0 && DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < lastDue + 300_000)
        {
            await Task.Delay(1000, ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM timers WHERE due <= $last AND kind = 'flow' AND timer_key LIKE 'run_due_%'";
            command.Parameters.AddWithValue("$last", lastDue);
            waiting = (long)(await command.ExecuteScalarAsync(ct))!;
            Console.Write($"\r  {due - waiting:N0} of {due:N0} woken   ");
        }
        Console.WriteLine();
        await using var completed = connection.CreateCommand();
        completed.CommandText = "SELECT COUNT(*) FROM flow_run_steps WHERE flow_id = $flow AND kind = 'send' AND run_id LIKE 'run_due_%'";
        completed.Parameters.AddWithValue("$flow", FlowId);
        return (long)(await completed.ExecuteScalarAsync(ct))!;
    }

    private sealed record Result(double StepsPerSecond, long P50, long P99, long Max, long Moves, double Seconds, double? DrainPerSecond)
    {
        public double WakeUpsPerSecond => StepsPerSecond / 2;
    }

    /// <summary>
    /// Nudge's figures over BullMQ's. The throughput target compares step executions (two per wake-up)
    /// with jobs; one wake-up against one job is the like-for-like figure, printed next to it. Lateness ratios
    /// divide by at least 1 ms.
    /// </summary>
    private sealed record Ratios(double Steps, double WakeUps, double P99, double Max)
    {
        public static Ratios Of(Result nudge, BullMqResult bullMq) => new(
            nudge.StepsPerSecond / Math.Max(0.001, bullMq.JobsPerSecond),
            nudge.WakeUpsPerSecond / Math.Max(0.001, bullMq.JobsPerSecond),
            nudge.P99 / (double)Math.Max(1, bullMq.P99),
            nudge.Max / (double)Math.Max(1, bullMq.Max));
    }

    private static Result Measure(string databaseFile, long firstDue)
    {
        using var connection = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT s.at - json_extract(r.trigger_event, '$.due'), s.at FROM flow_run_steps s JOIN flow_runs r ON r.id = s.run_id " +
            "WHERE s.flow_id = $flow AND s.kind = 'send' AND r.id LIKE 'run_due_%'";
        command.Parameters.AddWithValue("$flow", FlowId);
        var taken = new List<(long Lateness, long At)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                taken.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }
        var last = taken.Count == 0 ? firstDue : Math.Max(firstDue, taken.Max(t => t.At));
        var lateness = taken.Select(t => t.Lateness).Order().ToList();
        long Percentile(double p) => lateness.Count == 0 ? 0 : lateness[(int)Math.Min(lateness.Count - 1, Math.Ceiling(p * lateness.Count) - 1)];
        var seconds = Math.Max(0.001, (last - firstDue) / 1000.0);
        // Drain rate, counted like the BullMQ script's: wake-ups per second from the first one taken more than a
        // second late until the last; null when the engine never fell that far behind.
        taken.Sort((x, y) => x.At.CompareTo(y.At));
        var behind = taken.FindIndex(t => t.Lateness > 1000);
        double? drain = behind >= 0 && last > taken[behind].At ? (taken.Count - behind) / ((last - taken[behind].At) / 1000.0) : null;
        // Each wake-up takes two steps: the wait ends and the send step is entered (it queues the message, and the run completes).
        return new Result(lateness.Count * 2 / seconds, Percentile(0.5), Percentile(0.99), lateness.Count == 0 ? 0 : lateness[^1], lateness.Count, seconds, drain);
    }

    private static string Report(FlowTimersSettings s, MachineInfo machine, string load, Result r, long completed, Effort e, BullMqResult? b, string skipped)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### Flow wake-ups: {s.Pending:N0} pending waits, {s.Due:N0} coming due at {s.Rate:N0}/s (SQLite)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"`{s.CommandLine}` on {DateTimeOffset.UtcNow:yyyy-MM-dd}, {machine.Cores} cores, {machine.Cpu}, {machine.Storage}, load average {load} at start.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{s.Warmup:N0} warm-up runs come due first at the same rate and are not counted. Every due wait wakes its profile's grain (first activation: profile and runs read from the store), which ends the wait, enters the send step (one outbox row), completes the run, and writes it all through the group-committed derived-state writer.");
        text.AppendLine();
        if (b is null)
        {
            text.AppendLine("| | figure | target |");
            text.AppendLine("|---|---|---|");
            text.AppendLine(CultureInfo.InvariantCulture, $"| waits held in the timer table | {s.Pending + s.Due:N0} | 10,000,000 |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| runs moved | {completed:N0} of {s.Due:N0} in {r.Seconds:0.0} s | |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| step executions/s (2 per wake-up) | {r.StepsPerSecond:N0} | ≥ 40,000 |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| lateness p50 / p99 / max | {r.P50} / {r.P99} / {r.Max} ms | p99 ≤ 100 ms, max ≤ 1,000 ms |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| wake-ups per CPU-second of the server | {e.PerCpuSecond(completed):N0} | |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| cores busy with other work meanwhile | {Cores(e.OtherCores)} | |");
            text.AppendLine();
            text.AppendLine(skipped);
            return text.ToString();
        }

        var ratios = Ratios.Of(r, b);
        text.AppendLine(CultureInfo.InvariantCulture, $"Then, with Nudge's server stopped, the same {s.Due:N0} delayed no-op jobs (after {s.Warmup:N0} warm-up jobs) come due at the same rate in BullMQ {b.Version} (ioredis, Node {b.Node}) on a local redis-server {b.Redis} without persistence, taken by one worker process with concurrency {BullMqBaseline.Concurrency}; lateness is the time the job's processor starts minus its due moment. BullMQ holds {s.BullMqPending:N0} far-away jobs besides them (`--bullmq-pending`).");
        text.AppendLine();
        text.AppendLine("| | Nudge | BullMQ | Nudge ÷ BullMQ | target |");
        text.AppendLine("|---|---|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| waits / delayed jobs held | {s.Pending + s.Due:N0} | {s.BullMqPending + s.Due:N0} | | 10,000,000 |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| runs moved / jobs processed | {completed:N0} of {s.Due:N0} in {r.Seconds:0.0} s | {b.Processed:N0} of {s.Due:N0} in {b.Seconds:0.0} s | | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| step executions/s (2 per wake-up) vs jobs/s | {r.StepsPerSecond:N0} | {b.JobsPerSecond:N0} | {ratios.Steps:0.00}× | ≥ 40,000; ≥ 2× |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| wake-ups/s vs jobs/s | {r.WakeUpsPerSecond:N0} | {b.JobsPerSecond:N0} | {ratios.WakeUps:0.00}× | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| drain rate once a second behind (wake-ups or jobs/s) | {Drain(r.DrainPerSecond)} | {Drain(b.DrainPerSecond)} | | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| lateness p50 / p99 / max | {r.P50} / {r.P99} / {r.Max} ms | {b.P50} / {b.P99} / {b.Max} ms | p99 {ratios.P99:0.00}×, max {ratios.Max:0.00}× | p99 ≤ 100 ms, max ≤ 1,000 ms; ≤ 1× |");
        var nudgePerCpu = e.PerCpuSecond(completed);
        var bullMqPerCpu = b.Effort.PerCpuSecond(b.Processed);
        text.AppendLine(CultureInfo.InvariantCulture, $"| wake-ups / jobs per CPU-second (server / worker + redis-server) | {nudgePerCpu:N0} | {bullMqPerCpu:N0} | {nudgePerCpu / Math.Max(0.001, bullMqPerCpu):0.00}× | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| cores busy with other work meanwhile | {Cores(e.OtherCores)} | {Cores(b.Effort.OtherCores)} | | |");
        return text.ToString();
    }

    private static string Cores(double? cores) => cores is { } c ? c.ToString("0.0", CultureInfo.InvariantCulture) : "unknown";

    private static string Drain(double? perSecond) => perSecond is { } rate ? rate.ToString("N0", CultureInfo.InvariantCulture) : "never behind";

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
