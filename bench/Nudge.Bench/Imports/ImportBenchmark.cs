using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Nudge.Testing;

namespace Nudge.Bench.Imports;

/// <summary>What <c>nudge-bench import</c> runs.</summary>
/// <param name="Orders">Orders in the generated file.</param>
/// <param name="Customers">Distinct customers the orders belong to.</param>
/// <param name="ServerDll">The nudge.dll whose <c>import</c> command is timed.</param>
/// <param name="WriteDocs">Record the result in docs/benchmarks.md.</param>
/// <param name="CommandLine">The command, for the docs.</param>
internal sealed record ImportSettings(int Orders, int Customers, string? ServerDll, bool WriteDocs, string CommandLine);

/// <summary>
/// History import: generates a CSV of past orders (streamed to disk), times <c>nudge import orders FILE</c> writing it
/// into a fresh SQLite database, and, in this process, a plain batched insert of the same rows (one prepared INSERT
/// per row, 10,000 rows per transaction, no de-duplication, no identity resolution) as the baseline.
/// </summary>
internal static class ImportBenchmark
{
    private const int RowsPerTransaction = 10_000;

    public static async Task<int> RunAsync(ImportSettings settings, string? repositoryRoot, CancellationToken ct)
    {
        var dll = BenchServers.ServerDll(settings.ServerDll, repositoryRoot);
        if (dll is null || !File.Exists(dll))
        {
            await Console.Error.WriteLineAsync($"Cannot find nudge.dll ({dll ?? "no repository"}); build with -c Release or pass --server-dll.");
            return 2;
        }
        var machine = MachineInfo.Describe(Path.GetTempPath());
        Console.WriteLine($"Machine: {machine.Cores} cores, {machine.Cpu}; {machine.Os}; {machine.Runtime}; temp on {machine.Storage}");
        var folder = Directory.CreateTempSubdirectory("nudge-bench-import-").FullName;
        try
        {
            var file = Path.Combine(folder, "orders.csv");
            var generation = Stopwatch.StartNew();
            await WriteOrdersAsync(file, settings, ct);
            var size = new FileInfo(file).Length;
            Console.WriteLine($"Wrote {settings.Orders:N0} orders ({size / 1024.0 / 1024:N0} MiB) in {generation.Elapsed.TotalSeconds:0.0} s");

            var (importTime, output) = await ImportAsync(dll, file, Path.Combine(folder, "nudge.db"), ct);
            Console.WriteLine(output.Trim());
            var imported = await CountAsync(Path.Combine(folder, "nudge.db"), ct);
            Console.WriteLine($"nudge import: {imported:N0} events in {importTime.TotalSeconds:0.0} s ({imported / importTime.TotalSeconds:N0} orders/s)");

            var baseline = await BaselineAsync(file, Path.Combine(folder, "baseline.db"), ct);
            Console.WriteLine($"Plain batched insert: {settings.Orders:N0} rows in {baseline.TotalSeconds:0.0} s ({settings.Orders / baseline.TotalSeconds:N0} rows/s)");

            var section = Report(settings, machine, size, importTime, imported, baseline);
            Console.WriteLine(section);
            if (settings.WriteDocs && repositoryRoot is not null)
                BenchmarksDoc.Replace(Path.Combine(repositoryRoot, "docs", "benchmarks.md"), $"import-{settings.Orders}", section);
            return imported == settings.Orders ? 0 : 1;
        }
        finally
        {
            BenchServers.DeleteFolder(folder);
        }
    }

    /// <summary>A shop export's shape: one line per order, customers coming back over three years.</summary>
    private static async Task WriteOrdersAsync(string file, ImportSettings settings, CancellationToken ct)
    {
        await using var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 20);
        await writer.WriteAsync("order_id,email,timestamp,revenue,currency,product_id,product_name,price,quantity\n".AsMemory(), ct);
        var start = new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var spacing = TimeSpan.FromDays(3 * 365).Ticks / settings.Orders;
        var line = new StringBuilder(160);
        for (var i = 0; i < settings.Orders; i++)
        {
            var customer = (int)((uint)(i * 2654435761u) % (uint)settings.Customers);
            var price = 5 + i % 95;
            var quantity = 1 + i % 3;
            line.Clear().Append(CultureInfo.InvariantCulture,
                $"{100000 + i},customer{customer}@example.com,{start.AddTicks(spacing * i):yyyy-MM-ddTHH:mm:ssZ},{price * quantity}.90,EUR,p{i % 5000},Product {i % 5000},{price}.90,{quantity}\n");
            await writer.WriteAsync(line, ct);
        }
    }

    private static async Task<(TimeSpan Elapsed, string Output)> ImportAsync(string dll, string file, string database, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            dll, "import", "orders", file, $"--Nudge:Storage:ConnectionString=Data Source={database}", "--Nudge:Demo=false",
            $"--urls=http://127.0.0.1:{FreePort.Next()}",
        })
        {
            start.ArgumentList.Add(arg);
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var elapsed = clock.Elapsed;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"nudge import exited with {process.ExitCode}: {await errors}{await output}");
        return (elapsed, await output);
    }

    private static async Task<long> CountAsync(string database, CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=false");
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM events";
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The same rows read from the same file and inserted the plain way, as JSON bodies, in this process.</summary>
    private static async Task<TimeSpan> BaselineAsync(string file, string database, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=false");
        await connection.OpenAsync(ct);
        await using (var schema = connection.CreateCommand())
        {
            schema.CommandText = """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                CREATE TABLE orders (seq INTEGER PRIMARY KEY, order_id TEXT NOT NULL, email TEXT NOT NULL, timestamp INTEGER NOT NULL, body TEXT NOT NULL);
                """;
            await schema.ExecuteNonQueryAsync(ct);
        }
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO orders (order_id, email, timestamp, body) VALUES ($order, $email, $timestamp, $body)";
        var order = insert.Parameters.Add("$order", SqliteType.Text);
        var email = insert.Parameters.Add("$email", SqliteType.Text);
        var timestamp = insert.Parameters.Add("$timestamp", SqliteType.Integer);
        var body = insert.Parameters.Add("$body", SqliteType.Text);
        insert.Prepare();

        using var reader = new StreamReader(file, Encoding.UTF8, false, 1 << 20);
        await reader.ReadLineAsync(ct);
        SqliteTransaction? transaction = null;
        var rows = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (transaction is null)
            {
                transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
            }
            var f = line.Split(',');
            order.Value = f[0];
            email.Value = f[1];
            timestamp.Value = DateTimeOffset.Parse(f[2], CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
            body.Value = string.Concat(
                "{\"event\":\"Order Completed\",\"properties\":{\"order_id\":\"", f[0], "\",\"revenue\":", f[3], ",\"currency\":\"", f[4],
                "\",\"products\":[{\"product_id\":\"" + f[5], "\",\"name\":\"", f[6], "\",\"price\":", f[7], ",\"quantity\":" + f[8], "}]}}");
            await insert.ExecuteNonQueryAsync(ct);
            if (++rows % RowsPerTransaction == 0)
            {
                await transaction.CommitAsync(ct);
                await transaction.DisposeAsync();
                transaction = null;
            }
        }
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
            await transaction.DisposeAsync();
        }
        return clock.Elapsed;
    }

    private static string Report(ImportSettings settings, MachineInfo machine, long size, TimeSpan import, long imported, TimeSpan baseline)
    {
        var cpu = machine.Cpu.Split(' ').Take(2) is var words ? string.Join(' ', words) : machine.Cpu;
        return $"""
            ### History import: {settings.Orders:N0} orders from CSV (SQLite)

            `{settings.CommandLine}` on {DateTime.UtcNow:yyyy-MM-dd}, {machine.Cores} cores, {cpu}, {machine.Storage}.

            File: {settings.Orders:N0} orders of {settings.Customers:N0} customers over three years, one product each, {size / 1024.0 / 1024:N0} MiB.

            | | time | rate |
            |---|---|---|
            | `nudge import orders FILE` (whole command: start, migrate, hash, import into the event log) | {import.TotalSeconds:0.0} s | {imported / import.TotalSeconds:N0} orders/s |
            | plain batched insert of the same rows in the bench process | {baseline.TotalSeconds:0.0} s | {settings.Orders / baseline.TotalSeconds:N0} rows/s |
            | ratio | {import.TotalSeconds / baseline.TotalSeconds:0.00}× the plain insert | |

            Target: ≤ 120 s for 1,000,000 orders. The import writes each order as an `Order Completed` event with
            de-duplication, identity resolution (one profile per customer) and a checkpoint per 10,000 orders; profiles and
            computed traits are built from the log when the server starts.
            """;
    }
}
