using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Nudge.Testing;

/// <summary>
/// Postfix's <c>smtp-sink</c> (Debian package <c>postfix</c>) on a free port of 127.0.0.1, writing every message it
/// accepts to a file of its own in a temporary folder, with its session counters read from its output. Fault
/// injection uses smtp-sink's own options (<c>-r RCPT</c>: 4xx to every RCPT, <c>-f RCPT</c>: 5xx, <c>-Q MAIL</c>:
/// 421 and disconnect, <c>-q DATA</c>: disconnect without a reply, ...). Disposing it stops the sink and deletes the folder.
/// </summary>
public sealed partial class SmtpSink : IAsyncDisposable
{
    private const string Host = "127.0.0.1";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly string _root;
    private readonly string _binary;
    private Process? _process;
    private Task? _reader;
    private int _sessionsBefore;
    private int _sessions;
    private int _probes;
    private int _messagesBefore;
    private int _messages;

    private SmtpSink(string binary, string root, int port, bool keepMessages)
    {
        _binary = binary;
        _root = root;
        Port = port;
        KeepsMessages = keepMessages;
    }

    /// <summary>True when every message is written to a file in <see cref="Folder"/>; false for benchmarks (the sink only counts).</summary>
    public bool KeepsMessages { get; }

    /// <summary>Messages received so far (the final dot seen), over restarts.</summary>
    public int Messages => _messagesBefore + Volatile.Read(ref _messages);

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The sink's process id while it runs (benchmarks read its CPU time).</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>The host to connect to.</summary>
    public static string Address => Host;

    /// <summary>The folder the messages are written to, one file each.</summary>
    public string Folder => Path.Combine(_root, "mail");

    /// <summary>SMTP sessions ended so far (connections closed by either side), over restarts, the start-up probes left out.</summary>
    public int Sessions => _sessionsBefore + Volatile.Read(ref _sessions) - Volatile.Read(ref _probes);

    /// <summary>Starts a sink on a free port; <paramref name="options"/> are extra smtp-sink options such as <c>-r RCPT</c>.</summary>
    /// <exception cref="InvalidOperationException">smtp-sink is not installed, or it did not start listening.</exception>
    /// <param name="options">Extra smtp-sink options such as <c>-r RCPT</c>.</param>
    /// <param name="ct">Stops waiting for the start.</param>
    /// <param name="keepMessages">False: messages are counted, not written (benchmarks; disk writes would be what is measured).</param>
    public static async Task<SmtpSink> StartAsync(IReadOnlyList<string>? options = null, CancellationToken ct = default, bool keepMessages = true)
    {
        var binary = Find();
        var root = Directory.CreateTempSubdirectory("nudge-smtp-").FullName;
        var sink = new SmtpSink(binary, root, FreePort.Next(), keepMessages);
        Directory.CreateDirectory(sink.Folder);
        if (!OperatingSystem.IsWindows())
        {
            // smtp-sink drops to the postfix user when started as root; that user writes the files.
            var everyone = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
                | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            File.SetUnixFileMode(root, everyone);
            File.SetUnixFileMode(sink.Folder, everyone);
        }
        try
        {
            await sink.RunAsync(options ?? [], ct);
            return sink;
        }
        catch
        {
            await sink.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the sink and starts it again on the same port and folder with other options (none: a healthy sink).</summary>
    public async Task RestartAsync(IReadOnlyList<string>? options = null, CancellationToken ct = default)
    {
        await StopAsync();
        await RunAsync(options ?? [], ct);
    }

    /// <summary>Stops the sink: connections to it break and new ones are refused.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
            return;
        _process = null;
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        if (_reader is not null)
            await _reader;
        _sessionsBefore += Volatile.Read(ref _sessions) - Volatile.Read(ref _probes);
        _messagesBefore += Volatile.Read(ref _messages);
        _messages = 0;
        _sessions = 0;
        _probes = 0;
        process.Dispose();
    }

    /// <summary>
    /// The files of the messages received so far. smtp-sink creates a file when a transaction starts: a message is
    /// complete once its sender got the 250 to its final dot.
    /// </summary>
    public IReadOnlyList<string> MessageFiles() =>
        Directory.Exists(Folder) ? Directory.GetFiles(Folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>Waits until at least <paramref name="count"/> messages arrived, or the timeout passed; returns the files.</summary>
    public async Task<IReadOnlyList<string>> WaitForMessagesAsync(int count, TimeSpan timeout, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var files = MessageFiles();
            if (files.Count >= count || clock.Elapsed >= timeout)
                return files;
            await Task.Delay(50, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        TempFolders.TryDelete(_root);
    }

    private async Task RunAsync(IReadOnlyList<string> options, CancellationToken ct)
    {
        var start = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add("postfix");
        }
        start.ArgumentList.Add("-c");
        if (KeepsMessages)
        {
            start.ArgumentList.Add("-d");
            start.ArgumentList.Add(Path.Combine(Folder, "%M."));
        }
        foreach (var option in options)
            start.ArgumentList.Add(option);
        start.ArgumentList.Add($"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}");
        start.ArgumentList.Add("256");

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {_binary}.");
        _process = process;
        _reader = ReadCountersAsync(process);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);

        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"smtp-sink exited with code {process.ExitCode}: {await errors}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(Host, Port, ct);
                Interlocked.Increment(ref _probes);
                return;
            }
            catch (SocketException) when (clock.Elapsed < StartTimeout)
            {
                await Task.Delay(20, ct);
            }
        }
    }

    // -c rewrites one line of counters, each version ended by a carriage return: "sess=2 quit=2 mesg=40\r".
    // Read by character: a line reader would wait after a lone \r for a \n that never comes.
    private async Task ReadCountersAsync(Process process)
    {
        var buffer = new char[1024];
        var line = new System.Text.StringBuilder();
        int read;
        while ((read = await process.StandardOutput.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            foreach (var c in buffer.AsSpan(0, read))
            {
                if (c is not ('\r' or '\n'))
                {
                    line.Append(c);
                    continue;
                }
                var match = Counters().Match(line.ToString());
                if (match.Success)
                {
                    Volatile.Write(ref _sessions, int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
                    Volatile.Write(ref _messages, int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture));
                }
                line.Clear();
            }
        }
    }

    private static string Find()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin")
            .Select(folder => Path.Combine(folder, "smtp-sink"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("smtp-sink is not installed: install the Debian package postfix (./test.sh does).");
    }

    [GeneratedRegex(@"sess=(\d+) quit=\d+ mesg=(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Counters();
}
