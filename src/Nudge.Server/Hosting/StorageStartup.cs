using System.Text.Json;
using Microsoft.Extensions.Options;
using Nudge.Storage;
using Nudge.Storage.Events;
using Nudge.Storage.Keys;
using Nudge.Storage.Migrations;

namespace Nudge.Server.Hosting;

/// <summary>
/// Runs before everything else on start: migrates the database, creates the demo workspace and the
/// bootstrap keys, prints the demo keys, and starts the event log writer.
/// </summary>
public sealed partial class StorageStartup(
    Migrator migrator,
    EventLog log,
    KeyStore keys,
    Database database,
    IOptions<NudgeOptions> options,
    ILogger<StorageStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken);
        var settings = options.Value;
        await keys.EnsureWorkspaceAsync(DemoWorkspace.Id, DemoWorkspace.Name, settings.DefaultRegion, cancellationToken);

        var bootstrap = settings.Bootstrap;
        if (bootstrap.WriteKey is { Length: > 0 } write)
            await keys.AddAsync(DemoWorkspace.Id, ApiKeyKind.ServerWrite, write, "bootstrap", cancellationToken);
        if (bootstrap.BrowserKey is { Length: > 0 } browser)
            await keys.AddAsync(DemoWorkspace.Id, ApiKeyKind.BrowserWrite, browser, "bootstrap", cancellationToken);
        if (bootstrap.AdminKey is { Length: > 0 } admin)
            await keys.AddAsync(DemoWorkspace.Id, ApiKeyKind.Admin, admin, "bootstrap", cancellationToken);

        if (settings.Demo)
            await PrintDemoKeysAsync(cancellationToken);

        await log.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The demo workspace's keys are generated once and kept next to the demo database, so that every start
    /// can print them; the database itself holds only their hashes.
    /// </summary>
    private async Task PrintDemoKeysAsync(CancellationToken ct)
    {
        var file = DemoKeysFile();
        DemoKeys? demo = null;
        if (File.Exists(file))
            demo = JsonSerializer.Deserialize<DemoKeys>(await File.ReadAllTextAsync(file, ct));

        if (demo is null || await keys.FindAsync(demo.AdminKey, ct) is null)
        {
            demo = new DemoKeys(
                (await keys.CreateAsync(DemoWorkspace.Id, ApiKeyKind.BrowserWrite, "demo browser key", ct)).Secret,
                (await keys.CreateAsync(DemoWorkspace.Id, ApiKeyKind.ServerWrite, "demo server key", ct)).Secret,
                (await keys.CreateAsync(DemoWorkspace.Id, ApiKeyKind.Admin, "demo admin key", ct)).Secret);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(demo), ct);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Log.DemoKeys(logger, demo.BrowserKey, demo.ServerKey, demo.AdminKey);
    }

    private string DemoKeysFile() =>
        database.IsSqlite && database.SqliteFile is { } db
            ? Path.Combine(Path.GetDirectoryName(db)!, "demo-keys.json")
            : Path.Combine("data", "demo-keys.json");

    private sealed record DemoKeys(string BrowserKey, string ServerKey, string AdminKey);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message =
            "Demo workspace keys (keep them secret except the browser key):\n  browser write key: {BrowserKey}\n  server write key:  {ServerKey}\n  admin API key:     {AdminKey}")]
        public static partial void DemoKeys(ILogger logger, string browserKey, string serverKey, string adminKey);
    }
}
