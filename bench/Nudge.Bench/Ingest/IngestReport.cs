using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Nudge.Bench.Ingest;

/// <summary>The figures of one ingest run, as a console table and as a section of docs/benchmarks.md.</summary>
internal sealed class IngestReport
{
    /// <summary>RudderStack's published figure for 2 cores, quoted in the issue as the outside reference.</summary>
    private const double RudderStackPerSecond = 1_700;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly IngestSettings _settings;
    private readonly MachineInfo _machine;
    private readonly double _eventBytes;
    private readonly IngestMeasurement _m;
    private readonly BaselineResult? _baseline;
    private readonly BaselineResult? _timeOrdered;
    private readonly double[] _latencyMs;

    public IngestReport(IngestSettings settings, MachineInfo machine, double eventBytes, IngestMeasurement measurement, BaselineResult? baseline, BaselineResult? timeOrdered)
    {
        _settings = settings;
        _machine = machine;
        _eventBytes = eventBytes;
        _m = measurement;
        _baseline = baseline;
        _timeOrdered = timeOrdered;
        _latencyMs = [.. measurement.Send.LatencyTicks.Select(t => t * 1000.0 / Stopwatch.Frequency).Order()];
        When = DateTimeOffset.UtcNow;
    }

    public DateTimeOffset When { get; }

    private double EventsPerSecond => (_m.Send.Accepted + _m.Send.Duplicates) / _m.Send.Elapsed.TotalSeconds;

    private double? Ratio => _baseline is null ? null : EventsPerSecond / _baseline.RowsPerSecond;

    private double? EngineRate =>
        _m.BacklogBefore is { } before && _m.BacklogAfter is { } after
            ? (before + _m.Send.Accepted - after) / _m.Send.Elapsed.TotalSeconds
            : null;

    public string ConsoleTable()
    {
        var rows = new List<(string, string)>
        {
            ("events (timed)", $"{_m.Send.Accepted + _m.Send.Duplicates:N0} in {_m.Send.Elapsed.TotalSeconds:0.00} s; {_m.Send.Duplicates:N0} reported duplicate"),
            ("Nudge /v1/batch", $"{EventsPerSecond:N0} events/s  ({_settings.BatchSize}-event batches, {_eventBytes:0} B/event, concurrency {_settings.Concurrency})"),
            ("ack latency per batch", $"p50 {P(0.50):0.0} ms  p95 {P(0.95):0.0} ms  p99 {P(0.99):0.0} ms  max {_latencyMs[^1]:0.0} ms"),
        };
        if (_baseline is not null)
        {
            rows.Add(("plain SQLite insert", $"{_baseline.RowsPerSecond:N0} rows/s  (random UUID ids, UNIQUE index, {SqliteBaseline.RowsPerTransaction:N0} rows/tx, {_baseline.Rows:N0} rows)"));
            rows.Add(("ratio Nudge / plain", $"{Ratio:0.00}x"));
            rows.Add(("  same, time-ordered ids", $"{_timeOrdered!.RowsPerSecond:N0} rows/s  (UUID v7; reference only)"));
        }

        rows.Add(("CPU during timed part", CpuText(_m.Cpu)));
        rows.Add(("engine (profile grains)", EngineText()));
        var width = rows.Max(r => r.Item1.Length) + 2;
        var text = new StringBuilder();
        foreach (var (label, value) in rows)
            text.Append(label.PadRight(width)).AppendLine(value);
        return text.ToString().TrimEnd();
    }

    public string Markdown()
    {
        var t = new StringBuilder();
        t.AppendLine(Invariant, $"### Durable ingestion, concurrency {_settings.Concurrency}{(_settings.EngineOff ? ", profile processing paused" : "")}");
        t.AppendLine();
        t.AppendLine(Invariant, $"- Date: {When:yyyy-MM-dd HH:mm} UTC");
        t.AppendLine(Invariant, $"- Machine: {_machine.Cores} cores, {_machine.Cpu}; {_machine.Os}; {_machine.Runtime}");
        t.AppendLine(Invariant, $"- Storage: SQLite (WAL, synchronous=FULL) on {_machine.Storage}");
        t.AppendLine(Invariant, $"- Command: `{_settings.CommandLine.Trim()}`");
        t.AppendLine(Invariant, $"- Load: {_m.Send.Accepted + _m.Send.Duplicates:N0} events timed after {_settings.WarmupBatches * _settings.BatchSize:N0} warm-up events; " +
            $"{_settings.BatchSize}-event batches of {_eventBytes:0} B e-commerce events (random UUID v4 message ids, {_settings.Users:N0} users); " +
            $"client on the same machine, {_settings.Concurrency} concurrent senders");
        t.AppendLine();
        t.AppendLine("| figure | value |");
        t.AppendLine("| --- | --- |");
        t.AppendLine(Invariant, $"| Nudge `/v1/batch`, acknowledged after commit | **{EventsPerSecond:N0} events/s** |");
        t.AppendLine(Invariant, $"| ack latency per 100-event batch, p50 / p95 / p99 | {P(0.50):0.0} / {P(0.95):0.0} / {P(0.99):0.0} ms (max {_latencyMs[^1]:0.0} ms) |");
        if (_baseline is not null)
        {
            t.AppendLine(Invariant, $"| plain batched SQLite insert, same rows, UNIQUE index on message_id | {_baseline.RowsPerSecond:N0} rows/s |");
            t.AppendLine(Invariant, $"| ratio Nudge / plain insert | **{Ratio:0.00}x** |");
            t.AppendLine(Invariant, $"| plain insert with time-ordered (UUID v7) ids, reference | {_timeOrdered!.RowsPerSecond:N0} rows/s |");
        }

        t.AppendLine(Invariant, $"| RudderStack's published figure for 2 cores, reference | ~{RudderStackPerSecond:N0} events/s |");
        t.AppendLine(Invariant, $"| CPU during the timed part | {CpuText(_m.Cpu)} |");
        t.AppendLine(Invariant, $"| engine (profile grains) | {EngineText()} |");
        t.AppendLine();
        t.AppendLine(Invariant, $"What dominates: {Note()}");
        return t.ToString();
    }

    private double P(double q) => _latencyMs[Math.Clamp((int)Math.Ceiling(q * _latencyMs.Length) - 1, 0, _latencyMs.Length - 1)];

    private string CpuText(CpuUse cpu) =>
        (cpu.ServerCores is { } s ? $"server {s:0.00} cores, " : "server not measured (--url), ")
        + $"client {cpu.ClientCores:0.00} cores, "
        + (cpu.OtherCores is { } other ? $"other processes {other:0.00} cores; " : "")
        + $"machine {cpu.MachineBusy:P0} busy, {cpu.MachineIoWait:P0} I/O wait";

    private string EngineText()
    {
        if (_settings.EngineOff)
            return "paused (--engine-off): events logged, profiles not yet applied";
        if (_m.BacklogAfter is not { } after)
            return "not measured (--url)";
        var text = $"applied {EngineRate:N0} events/s during the timed part; {after:N0} events behind at the last ack";
        if (after == 0)
            return text;
        return _m.Drained is { } drained
            ? text + $", caught up {drained.TotalSeconds:0.0} s later (server {_m.DrainCpu?.ServerCores:0.00} cores meanwhile)"
            : text + $", still behind after {_settings.DrainTimeout.TotalSeconds:0} s";
    }

    private string Note()
    {
        var cpu = _m.Cpu;
        var note = new StringBuilder();
        var cores = _machine.Cores;
        note.Append(Invariant, $"the {cores} cores were {cpu.MachineBusy:P0} busy ({cpu.MachineIoWait:P0} I/O wait)");
        if (cpu.ServerCores is { } server)
            note.Append(Invariant, $": the server took {server:0.00} cores, the load generator {cpu.ClientCores:0.00}");
        else
            note.Append(Invariant, $": the load generator took {cpu.ClientCores:0.00} cores");
        note.Append(". ");
        if (cpu.OtherCores is > 0.25 and var other)
            note.Append(Invariant, $"Other processes took {other:0.00} cores, so the figures are disturbed by a noisy neighbour. ");

        note.Append(cpu.MachineBusy switch
        {
            > 0.9 => "The run is CPU-bound. ",
            > 0.75 => "The run is mostly CPU-bound; the rest of the time goes to waiting for commits and the write lock. ",
            _ => "Neither the CPU nor the disk is saturated: the server waits more than it works (locks, commit cadence), so more cores would not help. ",
        });
        if (EngineRate is { } engine && engine < EventsPerSecond * 0.9)
        {
            note.Append(Invariant, $"The engine applied only {engine:N0} of the {EventsPerSecond:N0} events/s while ingestion ran; ");
            note.Append("a sustained load at this rate would build an ever-growing backlog.");
        }
        else if (EngineRate is not null)
        {
            note.Append("The engine kept pace with ingestion.");
        }

        return note.ToString();
    }
}
