using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Nudge.Testing;

/// <summary>
/// A throwaway PostgreSQL server for tests: its own cluster in a temporary folder, listening on a free
/// port on 127.0.0.1, with durability turned off for speed. Disposing it stops the server and deletes
/// every file it wrote.
/// </summary>
/// <remarks>
/// PostgreSQL refuses to run as root, so when the tests run as root the folder is handed to the
/// <c>postgres</c> user and the server binaries run through <c>runuser -u postgres --</c>.
/// </remarks>
public sealed partial class PostgresServer : IAsyncDisposable
{
    /// <summary>The role created by <c>initdb -U</c>; it is the superuser and needs no password.</summary>
    public const string Superuser = "postgres";

    private const string Host = "127.0.0.1";
    private const int StartAttempts = 3;

    private readonly string _pgCtl;
    private readonly string _root;
    private readonly string _dataDirectory;
    private readonly bool _asPostgresUser;
    private int _disposed;

    private PostgresServer(string pgCtl, string root, bool asPostgresUser, int port)
    {
        _pgCtl = pgCtl;
        _root = root;
        _dataDirectory = Path.Combine(root, "data");
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    /// <summary>The TCP port the server listens on, on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>A connection string for the <c>postgres</c> maintenance database, as the superuser.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    /// <summary>
    /// Creates a cluster in a new temporary folder and starts a server on it.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for <c>initdb</c> or the start-up.</param>
    /// <returns>The running server; dispose it to stop it and delete its files.</returns>
    /// <exception cref="InvalidOperationException">
    /// PostgreSQL is not installed, or <c>initdb</c> or <c>pg_ctl</c> failed (the message carries their output
    /// and the server log).
    /// </exception>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var (initdb, pgCtl) = FindBinaries();
        var asPostgresUser = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
        var root = Directory.CreateTempSubdirectory("nudge-pg-").FullName;
        var server = new PostgresServer(pgCtl, root, asPostgresUser, port: 0);
        try
        {
            if (asPostgresUser)
            {
                await RunAsync("chown", [Superuser, root], root, cancellationToken);
            }

            await server.RunServerToolAsync(
                initdb,
                ["-D", server._dataDirectory, "-A", "trust", "-U", Superuser, "-E", "UTF8", "--locale=C", "--no-sync"],
                cancellationToken);
            await server.StartOnFreePortAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Creates an empty database owned by the superuser.
    /// </summary>
    /// <param name="name">A lower-case SQL identifier: letters, digits and underscores, starting with a letter or underscore.</param>
    /// <param name="cancellationToken">Cancels the <c>CREATE DATABASE</c>.</param>
    /// <returns>An Npgsql connection string for the new database.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a plain lower-case identifier.</exception>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException(
                $"Database name '{name}' must be a lower-case identifier of at most 63 letters, digits and underscores.",
                nameof(name));
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionStringFor(name);
    }

    /// <summary>Stops the server at once (<c>pg_ctl stop -m immediate</c>) and deletes its folder.</summary>
    /// <returns>A task that completes when the files are gone.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")))
            {
                await RunServerToolAsync(_pgCtl, ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"], CancellationToken.None);
            }
        }
        finally
        {
            TempFolders.TryDelete(_root);
        }
    }

    private string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = Superuser,
        Database = database,
        Timeout = 15,
    }.ConnectionString;

    // Another process may take the port between FreePort.Next and the server binding it; a fresh port
    // on the next attempt makes that race harmless.
    private async Task StartOnFreePortAsync(CancellationToken cancellationToken)
    {
        var log = Path.Combine(_root, "server.log");
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Next();
            var options = string.Join(
                ' ',
                "-p", Port.ToString(CultureInfo.InvariantCulture),
                "-k", ShellQuote(_root),
                "-c", "listen_addresses=" + Host,
                "-F",
                "-c", "full_page_writes=off",
                "-c", "synchronous_commit=off");
            try
            {
                await RunServerToolAsync(
                    _pgCtl,
                    ["-D", _dataDirectory, "-l", log, "-w", "-t", "60", "-o", options, "start"],
                    cancellationToken);
                return;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts)
            {
                // Most likely the port was taken meanwhile: try again on another one.
            }
            catch (InvalidOperationException ex)
            {
                var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log, cancellationToken) : "(no server log)";
                throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}Server log:{Environment.NewLine}{serverLog}", ex);
            }
        }
    }

    private Task RunServerToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        _asPostgresUser
            ? RunAsync("runuser", ["-u", Superuser, "--", tool, .. arguments], _root, cancellationToken)
            : RunAsync(tool, arguments, _root, cancellationToken);

    private static async Task RunAsync(
        string fileName, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var startInfo = new System.Diagnostics.ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Remove("PGDATA");
        startInfo.Environment["LC_ALL"] = "C";

        using var process = System.Diagnostics.Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = (await stdout) + (await stderr);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{fileName} {string.Join(' ', arguments)}' exited with code {process.ExitCode}:{Environment.NewLine}{output.Trim()}");
        }
    }

    private static (string Initdb, string PgCtl) FindBinaries()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(HasServerTools);
        if (onPath is not null)
        {
            return (Path.Combine(onPath, "initdb"), Path.Combine(onPath, "pg_ctl"));
        }

        const string debianRoot = "/usr/lib/postgresql";
        var newest = Directory.Exists(debianRoot)
            ? Directory.EnumerateDirectories(debianRoot)
                .Select(version => (Major: int.TryParse(Path.GetFileName(version), CultureInfo.InvariantCulture, out var major) ? major : -1,
                    Bin: Path.Combine(version, "bin")))
                .Where(candidate => candidate.Major >= 0 && HasServerTools(candidate.Bin))
                .OrderByDescending(candidate => candidate.Major)
                .Select(candidate => candidate.Bin)
                .FirstOrDefault()
            : null;

        return newest is not null
            ? (Path.Combine(newest, "initdb"), Path.Combine(newest, "pg_ctl"))
            : throw new InvalidOperationException(
                "PostgreSQL is not installed: initdb and pg_ctl were found neither on PATH nor under "
                + "/usr/lib/postgresql/*/bin; install the Debian package postgresql (./test.sh does).");
    }

    private static bool HasServerTools(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

    // pg_ctl hands its -o options to /bin/sh, so paths inside them need shell quoting.
    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex DatabaseName();
}
