using System.CommandLine;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Nudge.Server.Hosting;
using Nudge.Server.Imports;
using Nudge.Server.Lists;
using Nudge.Storage.Events;
using Nudge.Storage.Imports;
using Nudge.Storage.Keys;
using Nudge.Storage.Migrations;
using Spectre.Console;

namespace Nudge.Server.Cli;

/// <summary>
/// <c>nudge import customers|orders FILE [--map field=Column]...</c>: imports past customers or orders (ADR 0017).
/// With <c>--server</c> it uploads the file to a running Nudge and follows its progress; without, it writes straight
/// into the configured database, which only a stopped Nudge allows (like <c>migrate</c>). Either way an interrupted
/// import continues when the same command runs again, and a finished one is not imported twice.
/// </summary>
public static class ImportCommand
{
    private const int ErrorsPrinted = 20;

    public static Command Create()
    {
        var kind = new Argument<string>("kind") { Description = "What the file holds: customers, orders or products" };
        var file = new Argument<FileInfo>("file") { Description = "The CSV or NDJSON file" };
        var map = new Option<string[]>("--map") { Description = "field=Column where the file names a field differently (repeatable), e.g. --map email=E-Mail --map order_id=Name", AllowMultipleArgumentsPerToken = false };
        var format = new Option<string?>("--format") { Description = "csv or ndjson (default: from the file's name or first byte)" };
        var server = new Option<Uri?>("--server") { Description = "Import through a running Nudge at this URL instead of writing into the database" };
        var adminKey = new Option<string?>("--admin-key") { Description = "The admin key for --server (default: the NUDGE_ADMIN_KEY environment variable)" };
        var workspace = new Option<string>("--workspace") { Description = "The workspace to import into (writing into the database)", DefaultValueFactory = _ => DemoWorkspace.Id };
        var command = new Command("import", "Import past customers or orders from a CSV or NDJSON file, with their original times")
        {
            kind, file, map, format, server, adminKey, workspace,
        };
        // Host settings such as --Nudge:Storage:ConnectionString=... pass through to the configuration.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            var errors = new Errors();
            if (string.Equals(parse.GetValue(kind), ImportKind.ProductsName, StringComparison.OrdinalIgnoreCase))
                return await ProductsAsync(parse, parse.GetValue(file)!, parse.GetValue(format), parse.GetValue(map), parse.GetValue(server), parse.GetValue(adminKey), parse.GetValue(workspace)!, ct);
            var importKind = ImportKind.Find(parse.GetValue(kind));
            if (importKind is null)
                errors.Add("kind", $"must be one of {ImportKind.Names}, {ImportKind.ProductsName}");
            var formatName = ImportFormats.Read(parse.GetValue(format));
            if (formatName == "")
                errors.Add("format", "must be csv or ndjson");
            var path = parse.GetValue(file)!;
            if (!path.Exists)
                errors.Add("file", $"{path.FullName} does not exist");
            var mapping = importKind is null ? ImportMapping.None : ImportMapping.Read(importKind, parse.GetValue(map) ?? [], errors.Add);
            if (errors.Any)
                return Refused(errors);

            if (parse.GetValue(server) is { } url)
            {
                var key = parse.GetValue(adminKey) ?? Environment.GetEnvironmentVariable("NUDGE_ADMIN_KEY");
                if (string.IsNullOrEmpty(key))
                {
                    errors.Add("admin-key", "is needed with --server (or set NUDGE_ADMIN_KEY)");
                    return Refused(errors);
                }
                using var http = new HttpClient { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
                return await RemoteImport.RunAsync(http, importKind!, formatName, mapping, path, TimeSpan.FromMilliseconds(500), AnsiConsole.Console, ct);
            }
            return await DirectAsync(parse.UnmatchedTokens.ToArray(), parse.GetValue(workspace)!, importKind!, formatName, mapping, path, AnsiConsole.Console, ct);
        });
        return command;
    }

    /// <summary>Products: into the catalog through its feed import, in place or through the server.</summary>
    private static async Task<int> ProductsAsync(
        ParseResult parse, FileInfo file, string? format, string[]? map, Uri? server, string? adminKey, string workspaceId, CancellationToken ct)
    {
        var errors = new Errors();
        if (!file.Exists)
            errors.Add("file", $"{file.FullName} does not exist");
        if (map is { Length: > 0 })
            errors.Add("map", "products are read by the catalog feed's own column names (see docs/catalog.md); rename the columns instead");
        if (ProductImport.Format(format, file) is not { } feedFormat)
        {
            errors.Add("format", "must be csv, json or ndjson (or the file's name must end so)");
            return Refused(errors);
        }
        if (errors.Any)
            return Refused(errors);
        if (server is not null)
        {
            var key = adminKey ?? Environment.GetEnvironmentVariable("NUDGE_ADMIN_KEY");
            if (string.IsNullOrEmpty(key))
            {
                errors.Add("admin-key", "is needed with --server (or set NUDGE_ADMIN_KEY)");
                return Refused(errors);
            }
            using var http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return await ProductImport.RemoteAsync(http, feedFormat, file, AnsiConsole.Console, ct);
        }
        var app = NudgeApp.Build(["--Logging:LogLevel:Default=Warning", .. parse.UnmatchedTokens]);
        if (await RunningServerAsync(app.Urls.FirstOrDefault() ?? app.Services.GetRequiredService<IConfiguration>()["urls"] ?? NudgeApp.DefaultUrl, ct) is { } running)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]Nudge is running at {running}[/]: import through it with --server {running} --admin-key <key>, or stop it first.");
            return 2;
        }
        await app.Services.GetRequiredService<Migrator>().MigrateAsync(ct);
        return await ProductImport.DirectAsync(app.Services.GetRequiredService<Nudge.Server.Catalog.CatalogFeed>(), workspaceId, feedFormat, file, AnsiConsole.Console, ct);
    }

    /// <summary>Imports straight into the configured database, with the same checkpoints as the server.</summary>
    internal static async Task<int> DirectAsync(
        string[] hostArgs, string workspaceId, ImportKind kind, string? format, ImportMapping mapping, FileInfo file, IAnsiConsole console,
        CancellationToken ct, Func<ImportRecord, bool>? stopAfter = null)
    {
        // The import's own output is the progress bar and the summary; the host's start-up chatter is left out.
        var app = NudgeApp.Build(["--Logging:LogLevel:Default=Warning", .. hostArgs]);
        var services = app.Services;
        if (await RunningServerAsync(app.Urls.FirstOrDefault() ?? services.GetRequiredService<IConfiguration>()["urls"] ?? NudgeApp.DefaultUrl, ct) is { } running)
        {
            console.MarkupLineInterpolated($"[red]Nudge is running at {running}[/]: import through it with --server {running} --admin-key <key>, or stop it first.");
            return 2;
        }

        await services.GetRequiredService<Migrator>().MigrateAsync(ct);
        var options = services.GetRequiredService<IOptions<NudgeOptions>>().Value;
        await services.GetRequiredService<KeyStore>().EnsureWorkspaceAsync(workspaceId, workspaceId == DemoWorkspace.Id ? DemoWorkspace.Name : workspaceId, options.DefaultRegion, ct);
        var log = services.GetRequiredService<EventLog>();
        await log.StartAsync(ct);
        await using (log)
        {
            var errors = new Errors();
            if (await services.GetRequiredService<ImportStarter>().StartAsync(workspaceId, kind, format, mapping, file.FullName, file.Name, null, errors, ct)
                is not var (import, _))
            {
                return Refused(errors);
            }
            if (import.Status == ImportStatus.Completed)
            {
                console.MarkupLineInterpolated($"{file.Name} was imported on {import.FinishedAt:u}; nothing to do.");
                return Report(ImportView.Of(import), console);
            }
            if (import.Checkpoint.NextOffset > 0)
                console.MarkupLineInterpolated($"Continuing the import of {file.Name} from line {import.Checkpoint.NextLine}.");

            // Ctrl+C stops reading; the batch being written still gets its checkpoint.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var history = services.GetRequiredService<HistoryImport>();
            var done = await WithProgressAsync(console, file.Name, async report => await history.RunAsync(import, file.FullName, r =>
            {
                report(r.Progress);
                if (stopAfter?.Invoke(r) == true)
                    stop.Cancel();
            }, stop.Token));
            return Report(ImportView.Of(done), console);
        }
    }

    /// <summary>Runs <paramref name="work"/> under a progress bar (plain text when the output is not a terminal).</summary>
    internal static async Task<T> WithProgressAsync<T>(IAnsiConsole console, string label, Func<Action<double>, Task<T>> work)
    {
        T result = default!;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(label), maxValue: 100);
                result = await work(share => task.Value = Math.Round(share * 100, 1));
                task.StopTask();
            });
        return result;
    }

    /// <summary>Prints the outcome; 0 when the file is done, 1 when it stopped before (run the command again to continue) or failed.</summary>
    internal static int Report(ImportView view, IAnsiConsole console)
    {
        var what = view.Kind;
        console.MarkupLineInterpolated($"{view.Imported:N0} {what} imported, {view.Skipped:N0} already there, {view.Failed:N0} bad rows.");
        foreach (var error in view.Errors.Take(ErrorsPrinted))
            console.MarkupLineInterpolated($"  line {error.Line}, {error.Field}: {error.Message}");
        if (view.Failed > ErrorsPrinted)
            console.MarkupLineInterpolated($"  ... and {view.Failed - ErrorsPrinted:N0} more bad rows (GET /api/imports/{view.Id} lists the first {RowErrors.MaxShown}).");
        switch (view.Status)
        {
            case ImportStatus.Completed:
                return 0;
            case ImportStatus.Failed:
                console.MarkupLineInterpolated($"[red]The import failed[/]: {view.Message}");
                return 1;
            default:
                console.MarkupLineInterpolated($"Stopped at {view.Progress:P0}; run the same command again to continue from there.");
                return 1;
        }
    }

    private static int Refused(Errors errors)
    {
        foreach (var (field, messages) in errors.ToDictionary())
        {
            foreach (var message in messages)
                Console.Error.WriteLine($"{field}: {message}");
        }
        return 2;
    }

    /// <summary>The URL of a Nudge answering at the configured address, if one does: two writers must not share a SQLite log.</summary>
    private static async Task<string?> RunningServerAsync(string urls, CancellationToken ct)
    {
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? NudgeApp.DefaultUrl;
        var url = first.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return null;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        try
        {
            using var response = await http.GetAsync(new Uri(uri, "/health/live"), ct);
            return response.IsSuccessStatusCode ? uri.GetLeftPart(UriPartial.Authority) : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }
}
