using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Nudge.Channels.Delivery;
using Nudge.Channels.Email;
using Nudge.Channels.Email.Smtp;
using Nudge.Testing;

namespace Nudge.Bench.Email;

/// <summary>
/// Personalized, DKIM-signed (RSA-2048) emails through Nudge's SMTP pool into Postfix's smtp-sink, against the two
/// physical limits measured in the same run: Postfix's own smtp-source into the same sink (the transport) and
/// <c>openssl speed rsa2048</c> signatures times the cores (the signing).
/// </summary>
internal static partial class EmailBenchmark
{
    private const int MessageBytes = 2000;

    public static async Task<int> RunAsync(EmailSettings settings, string? repositoryRoot, CancellationToken ct)
    {
        var machine = MachineInfo.Describe(Path.GetTempPath());
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
        Console.WriteLine($"Machine: {machine.Cores} cores, {machine.Cpu}; {machine.Os}; {machine.Runtime}; load average {load} at start");

        // openssl speed counts its own CPU time by default: what a core can do, however busy the machine is.
        // With -elapsed it counts wall-clock time: what it got in this run, next to everything else running.
        var signs = await OpensslSignsPerSecondAsync(settings.OpensslSeconds, elapsed: false, ct);
        var signsElapsed = await OpensslSignsPerSecondAsync(settings.OpensslSeconds, elapsed: true, ct);
        Console.WriteLine($"openssl speed rsa2048: {signs:N0} signs/s per core (CPU time), × {machine.Cores} cores = {signs * machine.Cores:N0} signs/s; " +
            $"{signsElapsed:N0} signs/s in wall-clock time");

        await using var sink = await SmtpSink.StartAsync(ct: ct, keepMessages: false);
        var (nudgeRate, nudgeCpu, perCoreSecond, sent) = await NudgeAsync(settings, sink, ct);
        Console.WriteLine($"Nudge: {sent:N0} messages in the timed part, {nudgeRate:N0} mails/s ({nudgeCpu:0.00} cores busy on the machine, " +
            $"{perCoreSecond:N0} mails per CPU-second of Nudge)");

        var before = sink.Messages;
        var sourceRate = await SmtpSourceAsync(settings, sink, ct);
        var arrived = await WaitForAsync(sink, before + settings.Messages, ct);
        Console.WriteLine($"smtp-source: {sourceRate:N0} mails/s ({arrived - before:N0} arrived)");

        var limit = Math.Min(sourceRate, signs * machine.Cores);
        var ratio = nudgeRate / limit;
        var limitHere = Math.Min(sourceRate, signsElapsed * machine.Cores);
        Console.WriteLine($"Physical limit: {limit:N0} mails/s; Nudge reaches {ratio:0.00} of it (target ≥ 0.50); " +
            $"{nudgeRate / limitHere:0.00} of the limit measured in wall-clock time ({limitHere:N0} mails/s)");

        var section = Report(settings, machine, load, new Figures(nudgeRate, nudgeCpu, perCoreSecond, sourceRate, signs, signsElapsed, limit, ratio, limitHere));
        Console.WriteLine(section);
        if (settings.WriteDocs && repositoryRoot is not null)
            BenchmarksDoc.Replace(Path.Combine(repositoryRoot, "docs", "benchmarks.md"), "email", section);
        return 0;
    }

    private static async Task<(double Rate, double Cores, double PerCoreSecond, int Sent)> NudgeAsync(EmailSettings settings, SmtpSink sink, CancellationToken ct)
    {
        using var rsa = RSA.Create(2048);
        var options = new EmailOptions
        {
            Host = SmtpSink.Address,
            Port = sink.Port,
            Security = "none",
            PoolSize = settings.Connections,
            From = "Demo Shop <news@shop.example>",
            UnsubscribeMailto = "unsubscribe@shop.example",
        };
        options.Dkim.Add(new DkimKeyOptions { Domain = "shop.example", Selector = "bench", PrivateKey = rsa.ExportRSAPrivateKeyPem() });
        var time = TimeProvider.System;
        await using var pool = new SmtpPool(options, new EmailComposer(new DkimSigning(options.Dkim, time), time, options.UnsubscribeMailto), time, NullLogger<SmtpPool>.Instance);

        await SendAsync(pool, settings.Concurrency, 0, settings.Warmup, ct);
        var cpu = CpuSample.Take(null);
        var clock = Stopwatch.StartNew();
        var failed = await SendAsync(pool, settings.Concurrency, settings.Warmup, settings.Messages, ct);
        var elapsed = clock.Elapsed;
        var use = CpuSample.Take(null).Since(cpu);
        if (failed > 0)
            Console.WriteLine($"  {failed:N0} messages were not accepted");
        return (settings.Messages / elapsed.TotalSeconds, use.MachineBusy * Environment.ProcessorCount,
            settings.Messages / (use.ClientCores * elapsed.TotalSeconds), settings.Messages - failed);
    }

    private static async Task<int> SendAsync(SmtpPool pool, int concurrency, int first, int count, CancellationToken ct)
    {
        var next = first - 1;
        var failed = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < first + count)
            {
                var outcome = await pool.SendAsync(Personalized(i), ct);
                if (outcome.Kind != SendOutcomeKind.Accepted)
                    Interlocked.Increment(ref failed);
            }
        }, ct)));
        return failed;
    }

    private static readonly string[] Names = ["Ada", "Bruno", "Chiara", "Dmitri", "Emma", "Farid", "Greta", "Hiro"];
    private static readonly string[] Products = ["Trail Runner", "City Sneaker", "Rain Jacket", "Wool Socks", "Day Pack", "Water Bottle"];

    /// <summary>A newsletter of about 2 KB (like smtp-source's <c>-l 2000</c>) with the person's name, products and links.</summary>
    private static OutgoingEmail Personalized(int i)
    {
        var name = Names[i % Names.Length];
        var html = new StringBuilder(MessageBytes);
        var text = new StringBuilder(MessageBytes / 2);
        html.Append(CultureInfo.InvariantCulture, $"<html><body><p>Hello {name},</p><p>We picked these for you this week:</p><ul>");
        text.Append(CultureInfo.InvariantCulture, $"Hello {name},\n\nWe picked these for you this week:\n");
        for (var p = 0; p < 4; p++)
        {
            var product = Products[(i + p) % Products.Length];
            var price = 19.9m + (i + p) % 50;
            html.Append(CultureInfo.InvariantCulture,
                $"<li><a href=\"https://shop.example/p/{(i + p) % 997}?utm_source=nudge&amp;utm_medium=email\">{product}</a> for {price} EUR</li>");
            text.Append(CultureInfo.InvariantCulture, $"- {product} for {price} EUR: https://shop.example/p/{(i + p) % 997}\n");
        }
        html.Append("</ul><p>Happy shopping!</p></body></html>");
        text.Append("\nHappy shopping!\n");
        return new OutgoingEmail($"bench:{i}", "Demo Shop <news@shop.example>", $"customer{i}@example.org", $"{name}, your picks for this week",
            html.ToString(), text.ToString(), new Uri($"https://nudge.shop.example/unsubscribe/prf_{i}?channel=email&token=0.{i:x8}"));
    }

    private static async Task<double> SmtpSourceAsync(EmailSettings settings, SmtpSink sink, CancellationToken ct)
    {
        var binary = new[] { "/usr/sbin/smtp-source", "/usr/bin/smtp-source" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("smtp-source is not installed (Debian package postfix)");
        var start = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-d", "-s", settings.SourceSessions.ToString(CultureInfo.InvariantCulture), "-m",
                     settings.Messages.ToString(CultureInfo.InvariantCulture), "-l", MessageBytes.ToString(CultureInfo.InvariantCulture),
                     $"{SmtpSink.Address}:{sink.Port.ToString(CultureInfo.InvariantCulture)}" })
            start.ArgumentList.Add(argument);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start smtp-source");
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var elapsed = clock.Elapsed;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"smtp-source failed: {await errors}");
        return settings.Messages / elapsed.TotalSeconds;
    }

    private static async Task<double> OpensslSignsPerSecondAsync(int seconds, bool elapsed, CancellationToken ct)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        string[] arguments = elapsed
            ? ["speed", "-elapsed", "-seconds", seconds.ToString(CultureInfo.InvariantCulture), "rsa2048"]
            : ["speed", "-seconds", seconds.ToString(CultureInfo.InvariantCulture), "rsa2048"];
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start openssl");
        var errors = process.StandardError.ReadToEndAsync(ct);
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        await errors;
        // "rsa 2048 bits 0.000270s 0.000008s   3703.7 125000.0": sign time, verify time, sign/s, verify/s.
        var match = RsaLine().Match(output);
        return match.Success
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"cannot read openssl speed's output:\n{output}");
    }

    private static async Task<int> WaitForAsync(SmtpSink sink, int count, CancellationToken ct)
    {
        for (var i = 0; i < 100 && sink.Messages < count; i++)
            await Task.Delay(50, ct);
        return sink.Messages;
    }

    private sealed record Figures(
        double Nudge, double BusyCores, double PerCoreSecond, double Source, double Signs, double SignsElapsed, double Limit, double Ratio, double LimitHere);

    private static string Report(EmailSettings s, MachineInfo machine, string load, Figures f)
    {
        var text = new StringBuilder();
        text.AppendLine("### Email sending: DKIM-signed mails into smtp-sink");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"`{s.CommandLine}` on {DateTimeOffset.UtcNow:yyyy-MM-dd}, {machine.Cores} cores, {machine.Cpu}; load average {load} when it started.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{s.Messages:N0} personalized mails of about 2 KB (HTML and text parts, List-Unsubscribe, DKIM rsa-sha256 relaxed/relaxed with a 2048-bit key), " +
            $"{s.Connections} pooled SMTP connections, {s.Concurrency} messages composed at once; Postfix smtp-sink on 127.0.0.1 (counting, not writing).");
        text.AppendLine();
        text.AppendLine("| | mails/s |");
        text.AppendLine("|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Nudge (compose, sign, send through the pool) | {f.Nudge:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Postfix smtp-source into the same sink (`-d -s {s.SourceSessions} -l 2000`, connections reused) | {f.Source:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| `openssl speed -seconds {s.OpensslSeconds} rsa2048` signs/s (CPU time) × {machine.Cores} cores | {f.Signs * machine.Cores:N0} ({f.Signs:N0} per core) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| physical limit (the smaller of the two) | {f.Limit:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| **Nudge / limit** | **{f.Ratio:0.00}** (target ≥ 0.50) |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"`openssl speed` times its own CPU time; with `-elapsed` (wall-clock, as Nudge is timed) it made {f.SignsElapsed:N0} signs/s in this run, " +
            $"a limit of {f.LimitHere:N0} mails/s of which Nudge reached {f.Nudge / f.LimitHere:0.00}. The machine was {f.BusyCores:0.0} of {machine.Cores} cores " +
            $"busy while Nudge sent; Nudge's process used one CPU-second per {f.PerCoreSecond:N0} mails (smtp-sink's share not included).");
        return text.ToString();
    }

    [GeneratedRegex(@"rsa\s+2048 bits\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex RsaLine();
}
