using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Nudge.Testing;

namespace Nudge.Bench.Email;

/// <summary>
/// Personalized, DKIM-signed (RSA-2048) emails through Nudge's SMTP pool into Postfix's smtp-sink, against the two
/// physical limits measured in the same run: Postfix's own smtp-source into the same sink (the transport) and
/// <c>openssl speed rsa2048</c> signatures times the cores (the signing).
/// </summary>
internal static partial class EmailBenchmark
{
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
        var nudge = await NudgeAsync(settings, sink, ct);
        Console.WriteLine($"Nudge: {nudge.Sent:N0} messages in the timed part, {nudge.Rate:N0} mails/s ({nudge.BusyCores:0.00} cores busy on the machine, " +
            $"{nudge.PerCoreSecond:N0} mails per CPU-second of Nudge; smtp-sink {nudge.SinkCpuPerMail * 1000:N0} µs of CPU per mail)");

        var before = sink.Messages;
        var sourceRate = await SmtpSourceAsync(settings, sink, ct);
        var arrived = await WaitForAsync(sink, before + settings.Messages, ct);
        Console.WriteLine($"smtp-source: {sourceRate:N0} mails/s ({arrived - before:N0} arrived)");

        var limit = Math.Min(sourceRate, signs * machine.Cores);
        var ratio = nudge.Rate / limit;
        var limitHere = Math.Min(sourceRate, signsElapsed * machine.Cores);
        // A sender that cost nothing but its signatures still shares the cores with the sink receiving its mails.
        var ceiling = machine.Cores / (1 / signs + nudge.SinkCpuPerMail / 1000);
        Console.WriteLine($"Physical limit: {limit:N0} mails/s; Nudge reaches {ratio:0.00} of it (target ≥ 0.50); " +
            $"{nudge.Rate / limitHere:0.00} of the limit measured in wall-clock time ({limitHere:N0} mails/s); " +
            $"a sender spending nothing but its signatures could reach {ceiling:N0} mails/s ({ceiling / limit:0.00} of the limit)");

        var section = Report(settings, machine, load, new Figures(nudge, sourceRate, signs, signsElapsed, limit, ratio, limitHere, ceiling));
        Console.WriteLine(section);
        if (settings.WriteDocs && repositoryRoot is not null)
            BenchmarksDoc.Replace(Path.Combine(repositoryRoot, "docs", "benchmarks.md"), "email", section);
        return 0;
    }

    /// <summary>
    /// Runs <see cref="EmailSender"/> in a child process with Server GC, as <c>src/Nudge.Server</c> runs (its
    /// runtimeconfig sets <c>System.GC.Server</c>); this benchmark process keeps one GC heap for its other commands.
    /// </summary>
    private static async Task<EmailSender.Result> NudgeAsync(EmailSettings settings, SmtpSink sink, CancellationToken ct)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the benchmark's executable");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (string.Equals(Path.GetFileNameWithoutExtension(self), "dotnet", StringComparison.Ordinal))
            start.ArgumentList.Add(typeof(EmailBenchmark).Assembly.Location);
        foreach (var argument in EmailSender.Arguments(sink.Port, sink.ProcessId, settings))
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_gcServer"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the email sender");
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return process.ExitCode == 0 && EmailSender.Read(output) is { } result
            ? result
            : throw new InvalidOperationException($"the email sender failed ({process.ExitCode}):\n{output}");
    }

    private static async Task<double> SmtpSourceAsync(EmailSettings settings, SmtpSink sink, CancellationToken ct)
    {
        var binary = new[] { "/usr/sbin/smtp-source", "/usr/bin/smtp-source" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("smtp-source is not installed (Debian package postfix)");
        var start = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-d", "-s", settings.SourceSessions.ToString(CultureInfo.InvariantCulture), "-m",
                     settings.Messages.ToString(CultureInfo.InvariantCulture), "-l", EmailSender.MessageBytes.ToString(CultureInfo.InvariantCulture),
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
        EmailSender.Result Nudge, double Source, double Signs, double SignsElapsed, double Limit, double Ratio, double LimitHere, double Ceiling);

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
        text.AppendLine(CultureInfo.InvariantCulture, $"| Nudge (compose, sign, send through the pool) | {f.Nudge.Rate:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Postfix smtp-source into the same sink (`-d -s {s.SourceSessions} -l 2000`, connections reused) | {f.Source:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| `openssl speed -seconds {s.OpensslSeconds} rsa2048` signs/s (CPU time) × {machine.Cores} cores | {f.Signs * machine.Cores:N0} ({f.Signs:N0} per core) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| physical limit (the smaller of the two) | {f.Limit:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| **Nudge / limit** | **{f.Ratio:0.00}** (target ≥ 0.50) |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"`openssl speed` times its own CPU time; with `-elapsed` (wall-clock, as Nudge is timed) it made {f.SignsElapsed:N0} signs/s in this run, " +
            $"a limit of {f.LimitHere:N0} mails/s of which Nudge reached {f.Nudge.Rate / f.LimitHere:0.00}. The machine was {f.Nudge.BusyCores:0.0} of {machine.Cores} cores " +
            $"busy while Nudge sent; Nudge's process (run with Server GC, as `src/Nudge.Server` runs) used one CPU-second per {f.Nudge.PerCoreSecond:N0} mails, " +
            $"smtp-sink {f.Nudge.SinkCpuPerMail * 1000:N0} µs of CPU per mail. Both share the {machine.Cores} cores: a sender that spent nothing but one " +
            $"signature per mail could reach {f.Ceiling:N0} mails/s here, {f.Ceiling / f.Limit:0.00} of the limit.");
        return text.ToString();
    }

    [GeneratedRegex(@"rsa\s+2048 bits\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex RsaLine();
}
