using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Nudge.Testing;

namespace Nudge.Bench.Flows;

/// <summary>
/// A throwaway Debian <c>redis-server</c> for the BullMQ baseline: on 127.0.0.1, a free port, a temporary folder,
/// and no persistence (no snapshots, no append-only file), stopped and deleted on dispose.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/redis-server", "/usr/sbin/redis-server", "/usr/local/bin/redis-server"];

    private readonly Process _process;
    private readonly string _folder;

    private RedisServer(Process process, string folder, int port) => (_process, _folder, Port) = (process, folder, port);

    public int Port { get; }

    /// <summary>The installed redis-server, or null when the Debian package is missing.</summary>
    public static string? Binary() => Candidates.FirstOrDefault(File.Exists);

    public static async Task<RedisServer> StartAsync(CancellationToken ct)
    {
        var binary = Binary() ?? throw new InvalidOperationException("redis-server is not installed (Debian package redis-server)");
        // Another process may take the port between FreePort.Next and redis binding it; a fresh port on the next
        // attempt makes that race harmless.
        for (var attempt = 1; ; attempt++)
        {
            var folder = Path.Combine(Path.GetTempPath(), $"nudge-bench-redis-{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            var port = FreePort.Next();
            var start = new ProcessStartInfo(binary) { WorkingDirectory = folder, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", folder, "--save", "", "--appendonly", "no" })
                start.ArgumentList.Add(argument);
            var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start redis-server");
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new RedisServer(process, folder, port);
            if (await server.AnswersAsync(ct))
                return server;
            await server.DisposeAsync();
            if (attempt == 3)
            {
                lock (output)
                    throw new InvalidOperationException($"redis-server did not answer on port {port}: {output}");
            }
        }
    }

    private async Task<bool> AnswersAsync(CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20) && !_process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port, ct);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray(), ct);
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer, ct);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                    return true;
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
            await Task.Delay(100, ct);
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            BenchServers.DeleteFolder(_folder);
        }
    }
}
