using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Nudge.Bench.Ingest;

/// <summary>
/// The Release server (<c>nudge.dll</c>) as a child process on free ports with a fresh SQLite database in a
/// temporary folder, the per-client rate limit lifted, and logging at Warning.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private const int TailLines = 100;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly Lock _tailLock = new();
    private int _lines;

    private readonly StreamWriter? _log;

    private ServerProcess(Process process, Uri baseAddress, string folder, string writeKey, string? logFile)
    {
        _process = process;
        _log = logFile is null ? null : new StreamWriter(logFile) { AutoFlush = true };
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        BaseAddress = baseAddress;
        Folder = folder;
        WriteKey = writeKey;
    }

    public Uri BaseAddress { get; }

    public string Folder { get; }

    public string DatabaseFile => Path.Combine(Folder, "nudge.db");

    public string WriteKey { get; }

    public int ProcessId => _process.Id;

    /// <summary>Lines the server wrote (at Warning and above) since it started.</summary>
    public int OutputLines => Volatile.Read(ref _lines);

    /// <summary>Whether the server is still running, for failure messages.</summary>
    public string State => _process.HasExited ? $"exited with code {_process.ExitCode}" : "still running";

    public string OutputTail => Tail(40);

    /// <summary>The last <paramref name="lines"/> lines of output, each cut to 300 characters.</summary>
    public string Tail(int lines)
    {
        lock (_tailLock)
            return string.Join('\n', _tail.Skip(Math.Max(0, _tail.Count - lines)).Select(l => l.Length > 300 ? l[..300] + " ..." : l));
    }

    /// <param name="serverDll">The server to run.</param>
    /// <param name="logFile">Where to copy everything the server writes, or null.</param>
    /// <param name="ct">Cancellation.</param>
    public static async Task<ServerProcess> StartAsync(string serverDll, string? logFile, CancellationToken ct)
    {
        if (!File.Exists(serverDll))
            throw new FileNotFoundException($"{serverDll} does not exist; build it with `dotnet build -c Release src/Nudge.Server`.", serverDll);

        var folder = Path.Combine(Path.GetTempPath(), $"nudge-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var writeKey = "nk_srv_bench_" + Guid.NewGuid().ToString("N");
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var info = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        info.ArgumentList.Add(Path.GetFullPath(serverDll));
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/');
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Nudge__Demo"] = "false";
        info.Environment["Nudge__Storage__ConnectionString"] = $"Data Source={Path.Combine(folder, "nudge.db")}";
        info.Environment["Nudge__Bootstrap__WriteKey"] = writeKey;
        info.Environment["Nudge__Bootstrap__AdminKey"] = "nk_adm_bench_" + Guid.NewGuid().ToString("N");
        info.Environment["Nudge__Orleans__SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture);
        info.Environment["Nudge__Orleans__GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture);
        info.Environment["Nudge__Ingestion__RequestsPerSecondPerClient"] = "1000000";

        var server = new ServerProcess(new Process { StartInfo = info, EnableRaisingEvents = true }, baseAddress, folder, writeKey, logFile);
        try
        {
            server._process.Start();
            server._process.BeginOutputReadLine();
            server._process.BeginErrorReadLine();
            await server.WaitUntilReadyAsync(ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (InvalidOperationException)
        {
            // Never started, or exited between the check and the kill.
        }

        _process.Dispose();
        if (_log is not null)
            await _log.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up with the rest of the temp folder.
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var started = Stopwatch.StartNew();
        var last = "no answer yet";
        while (started.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} before it was ready:\n{OutputTail}");
            try
            {
                using var response = await probe.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                last = "no answer within 5 s";
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }

        throw new TimeoutException($"The server was not ready within {StartTimeout.TotalSeconds:0} s ({last}):\n{OutputTail}");
    }

    private void Remember(string? line)
    {
        if (line is null)
            return;
        Interlocked.Increment(ref _lines);
        lock (_tailLock)
        {
            _log?.WriteLine(line);
            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
                _tail.Dequeue();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
