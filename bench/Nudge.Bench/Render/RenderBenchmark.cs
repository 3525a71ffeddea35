using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Fluid;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;
using Nudge.Channels.Templates;

namespace Nudge.Bench.Render;

/// <summary>Settings of <c>nudge-bench render</c>.</summary>
internal sealed record RenderSettings(double Seconds, double Warmup, bool WriteDocs, string CommandLine);

/// <summary>
/// Renders the golden-liquid benchmark fixtures with Nudge's renderer (its filters, sandbox and partial
/// library), with bare Fluid (default options) and with liquidjs, on the same templates and data in one run.
/// </summary>
internal static class RenderBenchmark
{
    private static readonly DateTimeOffset Now = new(2026, 3, 12, 14, 30, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(RenderSettings settings, string? repositoryRoot, CancellationToken ct)
    {
        if (repositoryRoot is null || FixturesFolder(repositoryRoot) is not { } fixtures)
        {
            await Console.Error.WriteLineAsync("golden-liquid benchmark fixtures not found (../shared/data/golden-liquid/benchmark_fixtures)");
            return 2;
        }

        var machine = MachineInfo.Describe(Path.GetTempPath());
        var before = CpuSample.Take(null);
        var rows = new List<(string Fixture, double Nudge, double Fluid, double? Js, bool Same, bool? JsSame)>();
        var skipped = new List<string>();
        var liquidjs = await LiquidJsAsync(repositoryRoot, fixtures, settings, ct);
        foreach (var folder in Directory.GetDirectories(fixtures).Order(StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            var name = Path.GetFileName(folder);
            if (!Parses(folder, out var problem))
            {
                // Fixture 006 uses {% unless %}...{% elsif %}, which Fluid (and so Nudge) does not parse.
                Console.WriteLine($"{name}: skipped, Fluid cannot parse it ({problem})");
                skipped.Add($"{name} ({problem})");
                continue;
            }
            var (nudge, fluid, same) = await MeasureAsync(folder, settings);
            (double Rate, bool Same)? js = liquidjs.TryGetValue(name, out var found) ? found : null;
            rows.Add((name, nudge, fluid, js?.Rate, same, js?.Same));
            Console.WriteLine($"{name}: Nudge {nudge:N0}/s, bare Fluid {fluid:N0}/s, liquidjs {(js is { } j ? j.Rate.ToString("N0", CultureInfo.InvariantCulture) : "-")}/s");
        }
        var cpu = CpuSample.Take(null).Since(before);

        var section = new StringBuilder()
            .AppendLine("### Template rendering: golden-liquid benchmark fixtures")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"`{settings.CommandLine}` on {DateTimeOffset.UtcNow:yyyy-MM-dd}, {machine.Cores} cores, {machine.Cpu}, {machine.Runtime}, Node {NodeVersion()}; one thread per engine, {settings.Seconds:0.#} s per fixture and engine after {settings.Warmup:0.#} s of warm-up; the machine was {cpu.MachineBusy:P0} busy during the run (other builds: {Math.Max(0, cpu.MachineBusy * machine.Cores - cpu.ClientCores):N1} cores).")
            .AppendLine()
            .AppendLine("| fixture | Nudge renders/s | bare Fluid renders/s | liquidjs renders/s | Nudge / bare Fluid | bare Fluid / liquidjs | Nudge / liquidjs | output as expected (Nudge, liquidjs) |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            section.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Fixture} | {r.Nudge:N0} | {r.Fluid:N0} | {(r.Js is { } js ? js.ToString("N0", CultureInfo.InvariantCulture) : "-")} | {r.Nudge / r.Fluid:P0} | {Ratio(r.Fluid, r.Js)} | {Ratio(r.Nudge, r.Js)} | {(r.Same ? "yes" : "no")}, {(r.JsSame is null ? "-" : r.JsSame.Value ? "yes" : "no")} |");
        }
        var geo = Math.Exp(rows.Average(r => Math.Log(r.Nudge / r.Fluid)));
        section.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Nudge keeps {geo:P0} of bare Fluid's rate (geometric mean over the fixtures); target: at least 85 %.")
            .AppendLine(skipped.Count == 0 ? "" : $"Not measured: {string.Join(", ", skipped)}.")
            .AppendLine()
            .AppendLine("Nudge renders as an email's text part does (no HTML escaping, as the expected results assume); bare Fluid uses `new TemplateOptions()` and a parser with the `liquid` tag on (fixture 004 needs it); both get the data as Liquid values converted once, as liquidjs gets a parsed JSON object.");
        var text = section.ToString();
        Console.WriteLine();
        Console.WriteLine(text);
        if (settings.WriteDocs)
            BenchmarksDoc.Replace(Path.Combine(repositoryRoot, "docs", "benchmarks.md"), "render", text);
        return 0;
    }

    private static bool Parses(string folder, out string? problem)
    {
        var parser = new FluidParser(new FluidParserOptions { AllowLiquidTag = true });
        var parses = parser.TryParse(File.ReadAllText(Path.Combine(folder, "templates", "index.liquid")), out _, out problem);
        problem = problem?.Split('\n')[0];
        return parses;
    }

    private static string Ratio(double a, double? b) => b is { } d && d > 0 ? (a / d).ToString("0.0", CultureInfo.InvariantCulture) + "×" : "-";

    private static async Task<(double Nudge, double Fluid, bool Same)> MeasureAsync(string folder, RenderSettings settings)
    {
        var templates = Path.Combine(folder, "templates");
        var files = Directory.GetFiles(templates).ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);
        var index = files["index.liquid"];
        var expected = await File.ReadAllTextAsync(Path.Combine(folder, "expected_result.txt"));
        using var data = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "data.json")));
        var variables = TemplateVariables.FromJson(data.RootElement);

        // Nudge: the engine as the server configures it, the fixture's other files as the workspace's partials.
        var engine = new TemplateEngine();
        var library = new PartialLibrary(files.Where(f => f.Key != "index.liquid").Select(f => new PartialSource(f.Key, TemplateKind.Partial, f.Value)));
        var compiled = engine.Compile("bench@1", TemplateKind.Sms, new TemplateParts(Body: index), library);
        var nudgeSettings = Nudge.Channels.Templates.Rendering.RenderSettings.Default;
        async ValueTask<string> NudgeAsync() => (await engine.RenderAsync(compiled, "body", variables, nudgeSettings, Now)).Output;

        // Bare Fluid: default options, files served as they are.
        var parser = new FluidParser(new FluidParserOptions { AllowLiquidTag = true });
        var options = new TemplateOptions { FileProvider = new Files(files) };
        var template = parser.Parse(index);
        async ValueTask<string> FluidAsync()
        {
            var context = new TemplateContext(options);
            foreach (var (key, value) in variables.Values)
                context.SetValue(key, value);
            return await template.RenderAsync(context, NullEncoder.Default);
        }

        var same = await NudgeAsync() == expected;
        if (Environment.GetEnvironmentVariable("NUDGE_BENCH_DUMP") is { Length: > 0 } dump)
            await File.WriteAllTextAsync(Path.Combine(dump, Path.GetFileName(folder) + ".txt"), await NudgeAsync());
        // Alternate short rounds so a neighbour's load falls on both engines alike.
        double nudgeRenders = 0, nudgeTime = 0, fluidRenders = 0, fluidTime = 0;
        await TimeAsync(NudgeAsync, settings.Warmup / 2);
        await TimeAsync(FluidAsync, settings.Warmup / 2);
        for (var round = 0; round < 6; round++)
        {
            var (n, t) = await TimeAsync(NudgeAsync, settings.Seconds / 6);
            nudgeRenders += n;
            nudgeTime += t;
            (n, t) = await TimeAsync(FluidAsync, settings.Seconds / 6);
            fluidRenders += n;
            fluidTime += t;
        }
        return (nudgeRenders / nudgeTime, fluidRenders / fluidTime, same);
    }

    private static async Task<(long Renders, double Seconds)> TimeAsync(Func<ValueTask<string>> render, double seconds)
    {
        var clock = Stopwatch.StartNew();
        long renders = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 20; i++)
                await render();
            renders += 20;
        }
        return (renders, clock.Elapsed.TotalSeconds);
    }

    private static async Task<Dictionary<string, (double Rate, bool Same)>> LiquidJsAsync(string root, string fixtures, RenderSettings settings, CancellationToken ct)
    {
        var script = Path.Combine(root, "bench", "render", "liquidjs.mjs");
        var results = new Dictionary<string, (double, bool)>(StringComparer.Ordinal);
        if (!Directory.Exists(Path.Combine(root, "bench", "render", "node_modules", "liquidjs")))
        {
            await Console.Error.WriteLineAsync("liquidjs is not installed: run `npm ci --prefix bench/render` (the liquidjs column stays empty)");
            return results;
        }
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(script)! };
        foreach (var argument in new[] { script, fixtures, settings.Seconds.ToString(CultureInfo.InvariantCulture), settings.Warmup.ToString(CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(argument);
        using var node = Process.Start(info)!;
        var output = await node.StandardOutput.ReadToEndAsync(ct);
        await node.WaitForExitAsync(ct);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var r = json.RootElement;
            results[r.GetProperty("fixture").GetString()!] = (r.GetProperty("renders").GetDouble() / r.GetProperty("seconds").GetDouble(), r.GetProperty("same").GetBoolean());
        }
        return results;
    }

    private static string NodeVersion()
    {
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            var version = node!.StandardOutput.ReadToEnd().Trim();
            node.WaitForExit();
            return version;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not installed";
        }
    }

    private static string? FixturesFolder(string root)
    {
        foreach (var candidate in new[] { Path.Combine(root, "..", "shared", "data"), Path.Combine(root, "..", "..", "shared", "data") })
        {
            var folder = Path.GetFullPath(Path.Combine(candidate, "golden-liquid", "benchmark_fixtures"));
            if (Directory.Exists(folder))
                return folder;
        }
        return null;
    }

    private sealed class Files(Dictionary<string, string> files) : IFileProvider
    {
        public IFileInfo GetFileInfo(string subpath) => files.TryGetValue(subpath, out var body) ? new File(subpath, body) : new NotFoundFileInfo(subpath);

        public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

        public IChangeToken Watch(string filter) => NullChangeToken.Singleton;

        private sealed class File(string name, string body) : IFileInfo
        {
            public bool Exists => true;
            public long Length => body.Length;
            public string? PhysicalPath => null;
            public string Name => name;
            public DateTimeOffset LastModified => DateTimeOffset.UnixEpoch;
            public bool IsDirectory => false;
            public Stream CreateReadStream() => new MemoryStream(Encoding.UTF8.GetBytes(body));
        }
    }
}
