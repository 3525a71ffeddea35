using System.CommandLine;
using Nudge.Bench;
using Nudge.Bench.Email;
using Nudge.Bench.Flows;
using Nudge.Bench.Imports;
using Nudge.Bench.Ingest;
using Nudge.Bench.Render;
using Nudge.Bench.Segments;

var events = new Option<int>("--events") { Description = "Events in the timed part (rounded up to whole batches)", DefaultValueFactory = _ => 1_000_000 };
var warmup = new Option<int>("--warmup") { Description = "Events sent before timing starts", DefaultValueFactory = _ => 100_000 };
var concurrency = new Option<int>("--concurrency") { Description = "Concurrent senders, one connection each", DefaultValueFactory = _ => 16 };
var batchSize = new Option<int>("--batch-size") { Description = "Events per /v1/batch request", DefaultValueFactory = _ => 100 };
var users = new Option<int>("--users") { Description = "Distinct users the events belong to", DefaultValueFactory = _ => 10_000 };
var serverDll = new Option<string?>("--server-dll") { Description = "nudge.dll to start (default: src/Nudge.Server/bin/Release/net10.0/nudge.dll)" };
var url = new Option<string?>("--url") { Description = "Use an already running server instead of starting one" };
var writeKey = new Option<string?>("--write-key") { Description = "Write key of the server given by --url" };
var serverLog = new Option<string?>("--server-log") { Description = "Copy the started server's output (warnings and errors) to this file" };
var baselineEvents = new Option<int?>("--baseline-events") { Description = "Rows for the plain SQLite insert (default: --events; 0 skips it)" };
var drainTimeout = new Option<int>("--drain-timeout") { Description = "Seconds to wait for the engine to apply the backlog after the last ack (0: don't wait)", DefaultValueFactory = _ => 180 };
var noDocs = new Option<bool>("--no-docs") { Description = "Do not write the result into docs/benchmarks.md" };
var engineOff = new Option<bool>("--engine-off") { Description = "Pause profile processing in the started server (Nudge__Engine__ProcessEvents=false): ingestion alone" };

var ingest = new Command("ingest", "Durable ingestion through /v1/batch against a plain batched SQLite insert of the same rows")
{
    events, warmup, concurrency, batchSize, users, serverDll, serverLog, url, writeKey, baselineEvents, drainTimeout, noDocs, engineOff,
};
ingest.SetAction(async (parse, ct) =>
{
    Uri? server = null;
    if (parse.GetValue(url) is { } text && !Uri.TryCreate(text, UriKind.Absolute, out server))
    {
        await Console.Error.WriteLineAsync($"--url {text} is not an absolute URL");
        return 2;
    }

    var settings = new IngestSettings
    {
        Events = parse.GetValue(events),
        Warmup = parse.GetValue(warmup),
        Concurrency = parse.GetValue(concurrency),
        BatchSize = parse.GetValue(batchSize),
        Users = parse.GetValue(users),
        ServerDll = parse.GetValue(serverDll),
        ServerLog = parse.GetValue(serverLog),
        Url = server,
        WriteKey = parse.GetValue(writeKey),
        BaselineEvents = parse.GetValue(baselineEvents),
        DrainTimeout = TimeSpan.FromSeconds(parse.GetValue(drainTimeout)),
        WriteDocs = !parse.GetValue(noDocs),
        EngineOff = parse.GetValue(engineOff),
        CommandLine = "dotnet run -c Release --project bench/Nudge.Bench -- " + string.Join(' ', args),
    };
    if (settings.Validate() is { } problem)
    {
        await Console.Error.WriteLineAsync(problem);
        return 2;
    }

    return await IngestBenchmark.RunAsync(settings, RepositoryRoot.Find(), ct);
});

var profiles = new Option<int>("--profiles") { Description = "Profiles in the generated history", DefaultValueFactory = _ => 1_000_000 };
var historyEvents = new Option<long>("--events") { Description = "Events in the generated history", DefaultValueFactory = _ => 20_000_000 };
var segmentBuild = new Command("segment-build", "A segment with an event-window condition built over a generated history, against one plain SQL query")
{
    profiles, historyEvents, serverDll, noDocs,
};
segmentBuild.SetAction(async (parse, ct) => await SegmentBuildBenchmark.RunAsync(new SegmentBuildSettings
{
    Profiles = parse.GetValue(profiles),
    Events = parse.GetValue(historyEvents),
    ServerDll = parse.GetValue(serverDll),
    WriteDocs = !parse.GetValue(noDocs),
    CommandLine = "dotnet run -c Release --project bench/Nudge.Bench -- " + string.Join(' ', args),
}, RepositoryRoot.Find(), ct));

var segmentCount = new Option<int>("--segments") { Description = "Active segments", DefaultValueFactory = _ => 50 };
var rate = new Option<int>("--rate") { Description = "Background events per second", DefaultValueFactory = _ => 20_000 };
var seconds = new Option<int>("--seconds") { Description = "Length of the measured run", DefaultValueFactory = _ => 60 };
var segmentLatency = new Command("segment-latency", "Time from ingest ack to segment membership under load, with many active segments")
{
    segmentCount, rate, seconds, serverDll, noDocs,
};
segmentLatency.SetAction(async (parse, ct) => await SegmentLatencyBenchmark.RunAsync(new SegmentLatencySettings
{
    Segments = parse.GetValue(segmentCount),
    EventsPerSecond = parse.GetValue(rate),
    Seconds = parse.GetValue(seconds),
    ServerDll = parse.GetValue(serverDll),
    WriteDocs = !parse.GetValue(noDocs),
    CommandLine = "dotnet run -c Release --project bench/Nudge.Bench -- " + string.Join(' ', args),
}, RepositoryRoot.Find(), ct));

var flowRate = new Option<int>("--rate") { Description = "Background events per second", DefaultValueFactory = _ => 5_000 };
var flowLatency = new Command("flow-latency", "Time from a trigger event's ingest ack to its flow's first message in the outbox, under load")
{
    flowRate, seconds, serverDll, noDocs,
};
flowLatency.SetAction(async (parse, ct) => await FlowLatencyBenchmark.RunAsync(new FlowLatencySettings
{
    EventsPerSecond = parse.GetValue(flowRate),
    Seconds = parse.GetValue(seconds),
    ServerDll = parse.GetValue(serverDll),
    WriteDocs = !parse.GetValue(noDocs),
    CommandLine = "dotnet run -c Release --project bench/Nudge.Bench -- " + string.Join(' ', args),
}, RepositoryRoot.Find(), ct));

var memorySegments = new Option<int>("--segments") { Description = "Segments to build", DefaultValueFactory = _ => 50 };
var segmentMemory = new Command("segment-memory", "Server memory with every profile of a generated history awake, with many segments")
{
    profiles, historyEvents, memorySegments, serverDll, noDocs,
};
segmentMemory.SetAction(async (parse, ct) => await SegmentMemoryBenchmark.RunAsync(new SegmentBuildSettings
{
    Profiles = parse.GetValue(profiles),
    Events = parse.GetValue(historyEvents),
    ServerDll = parse.GetValue(serverDll),
    WriteDocs = !parse.GetValue(noDocs),
    CommandLine = "dotnet run -c Release --project bench/Nudge.Bench -- " + string.Join(' ', args),
}, parse.GetValue(memorySegments), RepositoryRoot.Find(), ct));

var pending = new Option<int>("--pending") { Description = "Runs waiting far in the future during the measurement", DefaultValueFactory = _ => 10_000_000 };
var dueRuns = new Option<int>("--due") { Description = "Runs whose waits come due during the measurement", DefaultValueFactory = _ => 200_000 };
var dueRate = new Option<int>("--rate") { Description = "Waits coming due per second", DefaultValueFactory = _ => 20_000 };
var dueWarmup = new Option<int>("--warmup") { Description = "Runs coming due before the measured ones, not counted", DefaultValueFactory = _ => 40_000 };
var skipBullMq = new Option<bool>("--skip-bullmq") { Description = "Do not run the BullMQ baseline (needs redis-server and npm ci --prefix bench/bullmq)" };
var bullMqPending = new Option<int>("--bullmq-pending") { Description = "Far-away delayed jobs BullMQ holds during its part", DefaultValueFactory = _ => 0 };
var flowTimers = new Command("flow-timers", "Flow waits coming due at a fixed rate while millions more wait, against BullMQ delayed jobs on a local Redis: lateness and throughput")
{
    pending, dueRuns, dueRate, dueWarmup, skipBullMq, bullMqPending, serverDll, noDocs,
};
flowTimers.SetAction(async (parse, ct) => await FlowTimersBenchmark.RunAsync(new FlowTimersSettings
{
    Pending = parse.GetValue(pending),
    Due = parse.GetValue(dueRuns),
    Rate = parse.GetValue(dueRate),
    Warmup = parse.GetValue(dueWarmup),
    SkipBullMq = parse.GetValue(skipBullMq),
    BullMqPending = parse.GetValue(bullMqPending),
    ServerDll = parse.GetValue(serverDll),
    WriteDocs = !parse.GetValue(noDocs),
    CommandLine = "dotnet run -c Release --project bench/Nudge.Bench -- " + string.Join(' ', args),
}, RepositoryRoot.Find(), ct));


var renderSeconds = new Option<double>("--seconds") { Description = "Seconds of timed rendering per fixture and engine", DefaultValueFactory = _ => 3 };
var renderWarmup = new Option<double>("--warmup") { Description = "Seconds of warm-up per fixture and engine", DefaultValueFactory = _ => 1 };
var render = new Command("render", "The golden-liquid benchmark fixtures rendered by Nudge's renderer, bare Fluid and liquidjs (npm ci --prefix bench/render)")
{
    renderSeconds, renderWarmup, noDocs,
};
render.SetAction(async (parse, ct) => await RenderBenchmark.RunAsync(
    new RenderSettings(parse.GetValue(renderSeconds), parse.GetValue(renderWarmup), !parse.GetValue(noDocs),
        "dotnet run -c Release --project bench/Nudge.Bench -- " + string.Join(' ', args)),
    RepositoryRoot.Find(), ct));

var mails = new Option<int>("--messages") { Description = "Mails in the timed part", DefaultValueFactory = _ => 20_000 };
var connections = new Option<int>("--connections") { Description = "SMTP connections in Nudge's pool", DefaultValueFactory = _ => 4 };
var composing = new Option<int>("--concurrency") { Description = "Mails composed and signed at once", DefaultValueFactory = _ => 16 };
var email = new Command("email", "DKIM-signed mails through Nudge's SMTP pool into smtp-sink, against smtp-source and openssl speed rsa2048 in the same run")
{
    mails, connections, composing, noDocs,
};
email.SetAction(async (parse, ct) =>
{
    var settings = new EmailSettings
    {
        Messages = parse.GetValue(mails),
        Connections = parse.GetValue(connections),
        Concurrency = parse.GetValue(composing),
        WriteDocs = !parse.GetValue(noDocs),
        CommandLine = "dotnet run -c Release --project bench/Nudge.Bench -- " + string.Join(' ', args),
    };
    if (settings.Validate() is { } problem)
    {
        await Console.Error.WriteLineAsync(problem);
        return 2;
    }
    return await EmailBenchmark.RunAsync(settings, RepositoryRoot.Find(), ct);
});

var senderPort = new Option<int>("--port") { Description = "The smtp-sink's port on 127.0.0.1", Required = true };
var sinkProcess = new Option<int>("--sink-pid") { Description = "smtp-sink's process id, whose CPU time is read (0: none)" };
var senderWarmup = new Option<int>("--warmup") { Description = "Mails sent before timing starts", DefaultValueFactory = _ => new EmailSettings().Warmup };
var emailSender = new Command("email-sender", "The Nudge side of the email benchmark, run by it in a process of its own") { senderPort, sinkProcess, mails, senderWarmup, connections, composing };
emailSender.Hidden = true;
emailSender.SetAction(async (parse, ct) => await EmailSender.RunAsync(parse.GetValue(senderPort), parse.GetValue(sinkProcess), new EmailSettings
{
    Messages = parse.GetValue(mails),
    Warmup = parse.GetValue(senderWarmup),
    Connections = parse.GetValue(connections),
    Concurrency = parse.GetValue(composing),
}, ct));

var importOrders = new Option<int>("--orders") { Description = "Orders in the generated file", DefaultValueFactory = _ => 1_000_000 };
var importCustomers = new Option<int>("--customers") { Description = "Customers the orders belong to", DefaultValueFactory = _ => 200_000 };
var import = new Command("import", "nudge import orders FILE over a generated CSV of past orders, against a plain batched insert of the same rows")
{
    importOrders, importCustomers, serverDll, noDocs,
};
import.SetAction(async (parse, ct) => await ImportBenchmark.RunAsync(new ImportSettings(
    parse.GetValue(importOrders), parse.GetValue(importCustomers), parse.GetValue(serverDll), !parse.GetValue(noDocs),
    "dotnet run -c Release --project bench/Nudge.Bench -- " + string.Join(' ', args)), RepositoryRoot.Find(), ct));

var root = new RootCommand("Nudge benchmarks; each prints its figures and records them in docs/benchmarks.md") { ingest, segmentBuild, segmentLatency, segmentMemory, flowTimers, flowLatency, render, email, emailSender, import };
return await root.Parse(args).InvokeAsync();
