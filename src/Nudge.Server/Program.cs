using System.CommandLine;
using Nudge.Server.Cli;
using Nudge.Server.Hosting;
using Nudge.Storage.Migrations;

var serve = new Command("serve", "Start Nudge: tracking API, admin API and engine (the default)");
serve.SetAction((_, ct) => ServeAsync(args, ct));

var migrate = new Command("migrate", "Apply database migrations and exit");
migrate.SetAction(async (_, ct) =>
{
    var app = NudgeApp.Build(StripCommand(args));
    var applied = await app.Services.GetRequiredService<Migrator>().MigrateAsync(ct);
    Console.WriteLine(applied.Count == 0 ? "The database is up to date." : $"Applied: {string.Join(", ", applied)}");
    return 0;
});

var root = new RootCommand("Nudge: marketing automation for online shops") { serve, migrate, ImportCommand.Create(), SimulateCommand.Create() };
root.TreatUnmatchedTokensAsErrors = false;
root.SetAction((_, ct) => ServeAsync(args, ct));
return await root.Parse(args).InvokeAsync();

static async Task<int> ServeAsync(string[] args, CancellationToken ct)
{
    var app = NudgeApp.Build(StripCommand(args));
    await app.RunAsync(ct);
    return 0;
}

// Host settings such as --urls or --Nudge:Demo=false pass through to ASP.NET Core configuration.
static string[] StripCommand(string[] args) => args.Length > 0 && args[0] is "serve" or "migrate" ? args[1..] : args;

/// <summary>Entry point; public so integration tests can host it.</summary>
public partial class Program;
