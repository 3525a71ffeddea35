using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Nudge.Testing;

/// <summary>
/// What a <see cref="ServerProcess"/> is started with. The same settings (same folder, same keys) start the
/// same installation again after a crash.
/// </summary>
/// <param name="DataFolder">The working folder of the server, and where the default SQLite file goes.</param>
public sealed record ServerSettings(string DataFolder)
{
    /// <summary>The server to run; by default the <c>nudge.dll</c> a project reference copied next to the caller.</summary>
    public string ServerDll { get; init; } = Path.Combine(AppContext.BaseDirectory, "nudge.dll");

    /// <summary>The bootstrap server write key.</summary>
    public string WriteKey { get; init; } = "nk_srv_e2e_" + Guid.NewGuid().ToString("N");

    /// <summary>The bootstrap browser write key, or null for none.</summary>
    public string? BrowserKey { get; init; } = "nk_pub_e2e_" + Guid.NewGuid().ToString("N");

    /// <summary>The bootstrap admin API key.</summary>
    public string AdminKey { get; init; } = "nk_adm_e2e_" + Guid.NewGuid().ToString("N");

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public string StorageProvider { get; init; } = "sqlite";

    /// <summary>The storage connection string; by default a SQLite file in <see cref="DataFolder"/>.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Further settings as environment variables (<c>Nudge__...</c>, <c>Logging__...</c>); they win over the defaults.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Where to copy everything the server writes, or null.</summary>
    public string? LogFile { get; init; }

    /// <summary>How long the server may take to answer <c>/health/ready</c>.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// The real server (<c>nudge.dll</c>) as a child process on free ports, for what an in-process host cannot
/// give: a kill -9 in the middle of work, a restart on the same data, real SDKs, a benchmark of the Release build.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int TailLines = 200;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly Lock _tailLock = new();
    private StreamWriter? _log;
    private int _lines;
    private bool _started;

    private ServerProcess(Process process, Uri baseAddress, ServerSettings settings)
    {
        _process = process;
        _log = settings.LogFile is null ? null : new StreamWriter(settings.LogFile) { AutoFlush = true };
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        BaseAddress = baseAddress;
        Settings = settings;
        Tracking = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Tracking.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(settings.WriteKey + ":")));
        Admin = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.AdminKey);
    }

    /// <summary>Where the server listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>What the server was started with.</summary>
    public ServerSettings Settings { get; }

    /// <summary>Calls the tracking API with the server write key as the Basic-auth user name.</summary>
    public HttpClient Tracking { get; }

    /// <summary>Calls the admin API with the admin key as bearer token.</summary>
    public HttpClient Admin { get; }

    /// <summary>The operating-system id of the server process.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Whether the server is gone (or never started).</summary>
    public bool HasExited => !_started || _process.HasExited;

    /// <summary>Whether the server is still running, for failure messages.</summary>
    public string State =>
        !_started ? "never started" : _process.HasExited ? $"exited with code {_process.ExitCode}" : "still running";

    /// <summary>Lines the server wrote to stdout and stderr since it started.</summary>
    public int OutputLines => Volatile.Read(ref _lines);

    /// <summary>The last lines the server wrote to stdout and stderr, for failure messages.</summary>
    public string OutputTail => Tail(TailLines);

    /// <summary>The last <paramref name="lines"/> lines of output, each cut to <paramref name="maxLineLength"/> characters.</summary>
    /// <param name="lines">How many lines, at most.</param>
    /// <param name="maxLineLength">Longer lines are cut and end in <c>...</c>.</param>
    /// <returns>The lines, joined by newlines.</returns>
    public string Tail(int lines, int maxLineLength = int.MaxValue)
    {
        lock (_tailLock)
        {
            return string.Join('\n', _tail.Skip(Math.Max(0, _tail.Count - lines))
                .Select(l => l.Length > maxLineLength ? l[..maxLineLength] + " ..." : l));
        }
    }

    /// <summary>Starts the server and returns once <c>/health/ready</c> answers 200.</summary>
    /// <param name="settings">What to start.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The running server.</returns>
    public static async Task<ServerProcess> StartAsync(ServerSettings settings, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!File.Exists(settings.ServerDll))
        {
            throw new FileNotFoundException(
                $"{settings.ServerDll} does not exist; build src/Nudge.Server in the same configuration (e.g. `dotnet build -c Release src/Nudge.Server`).",
                settings.ServerDll);
        }

        Directory.CreateDirectory(settings.DataFolder);

        var baseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var info = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            WorkingDirectory = settings.DataFolder,
        };
        info.ArgumentList.Add(Path.GetFullPath(settings.ServerDll));
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/');
        info.Environment["Logging__LogLevel__Default"] = "Information";
        info.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        info.Environment["Logging__LogLevel__Orleans"] = "Warning";
        info.Environment["Nudge__Demo"] = "false";
        info.Environment["Nudge__Storage__Provider"] = settings.StorageProvider;
        info.Environment["Nudge__Storage__ConnectionString"] =
            settings.ConnectionString ?? $"Data Source={Path.Combine(settings.DataFolder, "nudge.db")}";
        info.Environment["Nudge__Bootstrap__WriteKey"] = settings.WriteKey;
        if (settings.BrowserKey is not null)
            info.Environment["Nudge__Bootstrap__BrowserKey"] = settings.BrowserKey;
        info.Environment["Nudge__Bootstrap__AdminKey"] = settings.AdminKey;
        info.Environment["Nudge__Orleans__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        info.Environment["Nudge__Orleans__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        foreach (var (name, value) in settings.Environment)
            info.Environment[name] = value;

        var server = new ServerProcess(new Process { StartInfo = info, EnableRaisingEvents = true }, baseAddress, settings);
        try
        {
            server._started = server._process.Start();
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

    /// <summary>Ends the server with SIGKILL, as a crash or an OOM killer would, and waits until it is gone.</summary>
    /// <param name="ct">Cancellation.</param>
    /// <returns>A task that completes when the server has exited.</returns>
    public async Task KillAsync(CancellationToken ct = default)
    {
        if (!_started)
            return;
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }
        }

        await _process.WaitForExitAsync(ct);
    }

    /// <summary>Kills the server if it still runs; the data folder is left to its owner.</summary>
    /// <returns>A task that completes when the server is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            await KillAsync(timeout.Token);
        Tracking.Dispose();
        Admin.Dispose();
        _process.Dispose();
        StreamWriter? log;
        lock (_tailLock)
        {
            log = _log;
            _log = null;
        }

        if (log is not null)
            await log.DisposeAsync();
    }

    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        var startTimeout = Settings.StartTimeout;
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var started = Stopwatch.StartNew();
        var last = "no answer yet";
        while (started.Elapsed < startTimeout)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(ct);
                throw new InvalidOperationException(
                    $"The server exited with code {_process.ExitCode} before it was ready. Its last output:\n{OutputTail}");
            }

            try
            {
                using var response = await probe.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
                last = $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                last = "/health/ready did not answer within 5 s";
            }

            // Polling an effect (the port answering), not a guess at how long start-up takes.
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }

        throw new TimeoutException(
            $"The server at {BaseAddress} was not ready within {startTimeout.TotalSeconds:0} s (last probe: {last}). Its last output:\n{OutputTail}");
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

    /// <summary>The dotnet host that runs the caller (set by <c>dotnet test</c> and <c>dotnet run</c>), else the one on the PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
