using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Nudge.Server.Cli;
using Nudge.Server.Imports;
using Nudge.Server.Tests.EndToEnd;
using Nudge.Server.Tests.Support;
using Nudge.Testing;
using Spectre.Console;

namespace Nudge.Server.Tests.Imports;

public sealed class ImportCommandTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_interrupted_import_continues_from_its_checkpoint_and_logs_every_order_once()
    {
        using var folder = new TemporaryFolder("nudge-import-");
        var file = Path.Combine(folder.Path, "orders.csv");
        await File.WriteAllTextAsync(file, Orders(25_000), Ct);
        var (output, console) = Console();

        var first = await DirectAsync(folder, file, console, stopAfter: r => r.Checkpoint.Imported >= HistoryImport.BatchEvents);
        var afterFirst = await CountEventsAsync(folder);
        var second = await DirectAsync(folder, file, console);
        var third = await DirectAsync(folder, file, console);

        Assert.Equal((1, 0, 0), (first, second, third));
        Assert.InRange(afterFirst, HistoryImport.BatchEvents, 2 * HistoryImport.BatchEvents);
        Assert.Equal(25_000, await CountEventsAsync(folder));
        var text = output.ToString();
        Assert.Contains("run the same command again", text, StringComparison.Ordinal);
        Assert.Contains("Continuing the import of orders.csv from line", text, StringComparison.Ordinal);
        Assert.Contains("25,000 orders imported, 0 already there, 0 bad rows.", text, StringComparison.Ordinal);
        Assert.Contains("nothing to do", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_continues_an_interrupted_import_when_it_starts()
    {
        using var folder = new TemporaryFolder("nudge-import-");
        var file = Path.Combine(folder.Path, "orders.csv");
        await File.WriteAllTextAsync(file, Orders(25_000), Ct);
        var (_, console) = Console();
        await DirectAsync(folder, file, console, stopAfter: r => r.Checkpoint.Imported >= HistoryImport.BatchEvents);
        var database = new Nudge.Storage.Database(Nudge.Storage.StorageProvider.Sqlite, $"Data Source={Path.Combine(folder.Path, "nudge.db")}");
        var store = new Nudge.Storage.Imports.ImportStore(database, TimeProvider.System);
        var interrupted = (await store.ListAsync("demo", 1, Ct)).Single();
        // As if it had been uploaded: the server keeps uploads and continues them on start.
        await store.SetFileAsync(interrupted.Id, file, Ct);

        await using var server = NudgeApi.OnFolder(folder.Path);
        var done = await Imports.FinishedAsync(server, interrupted.Id);

        Assert.Equal(("completed", 25_000L), ((string?)done["status"], (long)done["imported"]!));
        Assert.Equal(25_000, await CountImportedAsync(folder));
    }

    [Fact]
    public async Task Bad_rows_are_printed_with_their_line_and_the_mapping_comes_from_the_command_line()
    {
        using var folder = new TemporaryFolder("nudge-import-");
        var file = Path.Combine(folder.Path, "customers.csv");
        await File.WriteAllTextAsync(file, "E-Mail,Vorname\nada@example.com,Ada\nnot-an-address,Bob\n", Ct);
        var (output, console) = Console();
        var mapping = ImportMapping.Read(ImportKind.Customers, ["email=E-Mail", "first_name=Vorname"], (f, m) => Assert.Fail($"{f}: {m}"));

        var code = await ImportCommand.DirectAsync(HostArgs(folder), "demo", ImportKind.Customers, null, mapping, new FileInfo(file), console, Ct);

        Assert.Equal(0, code);
        Assert.Contains("1 customers imported, 0 already there, 1 bad rows.", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("line 3, email: 'not-an-address' is not a valid email address", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Through_a_running_server_the_file_is_uploaded_and_followed_to_the_end()
    {
        using var folder = new TemporaryFolder("nudge-import-");
        var file = Path.Combine(folder.Path, "orders.ndjson");
        var email = Some.Id("remote") + "@example.com";
        await File.WriteAllTextAsync(file,
            $$"""{"Bestellung":"{{Some.Id("r")}}","mail":"{{email}}","timestamp":"2023-05-01T12:00:00Z","revenue":12.5}""" + "\n" +
            """{"Bestellung":"x","mail":"{{email}}"}""" + "\n", Ct);
        var (output, console) = Console();
        using var admin = nudge.Admin();
        var mapping = ImportMapping.Read(ImportKind.Orders, ["order_id=Bestellung", "email=mail"], (f, m) => Assert.Fail($"{f}: {m}"));

        var code = await RemoteImport.RunAsync(admin, ImportKind.Orders, null, mapping, new FileInfo(file), TimeSpan.FromMilliseconds(50), console, Ct);

        Assert.Equal(0, code);
        Assert.Contains("1 orders imported, 0 already there, 1 bad rows.", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("line 2, timestamp:", output.ToString(), StringComparison.Ordinal);
        await nudge.WaitForProfileAsync(email, p => (int)p["computed"]!["orderCount"]! == 1);
    }

    [Fact]
    public async Task Products_go_into_the_catalog_and_a_second_run_changes_nothing()
    {
        using var folder = new TemporaryFolder("nudge-import-");
        var file = Path.Combine(folder.Path, "products.csv");
        await File.WriteAllTextAsync(file,
            "id,title,price,currency,brand\nbeans-1,Espresso Beans,12.50,EUR,Roastery\ncup-1,Cup,abc,EUR,Mugs\n", Ct);
        var (output, console) = Console();
        var args = HostArgs(folder);

        var first = await new System.CommandLine.RootCommand { ImportCommand.Create() }.Parse(["import", "products", file, .. args]).InvokeAsync(cancellationToken: Ct);
        var app = Nudge.Server.Hosting.NudgeApp.Build(args);
        await app.Services.GetRequiredService<Nudge.Storage.Migrations.Migrator>().MigrateAsync(Ct);
        var feed = app.Services.GetRequiredService<Nudge.Server.Catalog.CatalogFeed>();
        var again = await ProductImport.DirectAsync(feed, "demo", Nudge.Server.Catalog.FeedFormat.Csv, new FileInfo(file), console, Ct);
        var stored = await app.Services.GetRequiredService<Nudge.Storage.Catalog.CatalogStore>().GetAsync("demo", "beans-1", Ct);

        Assert.Equal((0, 0), (first, again));
        Assert.Equal("Espresso Beans", stored!.Title);
        Assert.Contains("2 rows: 0 products created, 0 updated, 1 unchanged, 1 bad rows.", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("line 3, price:", output.ToString(), StringComparison.Ordinal);
    }

    private static string Orders(int count)
    {
        var csv = new StringBuilder("order_id,email,timestamp,revenue,currency\n");
        var start = new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{i},c{i % 5000}@example.com,{start.AddMinutes(i):O},{i % 100}.50,EUR\n");
        return csv.ToString();
    }

    private static Task<int> DirectAsync(TemporaryFolder folder, string file, IAnsiConsole console, Func<Nudge.Storage.Imports.ImportRecord, bool>? stopAfter = null) =>
        ImportCommand.DirectAsync(HostArgs(folder), "demo", ImportKind.Orders, null, ImportMapping.None, new FileInfo(file), console, Ct, stopAfter);

    private static string[] HostArgs(TemporaryFolder folder) =>
    [
        $"--Nudge:Storage:ConnectionString=Data Source={Path.Combine(folder.Path, "nudge.db")}",
        "--Nudge:Demo=false",
        $"--urls=http://127.0.0.1:{FreePort.Next()}",
    ];

    private static async Task<long> CountEventsAsync(TemporaryFolder folder)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(folder.Path, "nudge.db")};Pooling=false");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM events";
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static async Task<long> CountImportedAsync(TemporaryFolder folder)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(folder.Path, "nudge.db")};Pooling=false");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM events WHERE name = 'Order Completed'";
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static (StringWriter Output, IAnsiConsole Console) Console()
    {
        var output = new StringWriter();
        return (output, AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No }));
    }
}
