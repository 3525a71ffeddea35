using System.Diagnostics;
using System.Text;

namespace Nudge.Server.Tests.EndToEnd;

/// <summary>What one run of <c>tests/clients/send.mjs</c> did.</summary>
public sealed record NodeRun(int ExitCode, string Output);

/// <summary>Runs <c>tests/clients/send.mjs</c>, which drives the official Segment and RudderStack Node SDKs.</summary>
public static class NodeClients
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Sends identify, track "Product Viewed" and page "Home" with the given SDK (<c>segment</c> or
    /// <c>rudderstack</c>); the script exits 0 when the SDK reported every call delivered.
    /// </summary>
    public static async Task<NodeRun> SendAsync(
        string sdk, Uri host, string writeKey, string userId, string anonymousId, string email, CancellationToken ct)
    {
        var clients = ClientsFolder();
        var info = new ProcessStartInfo("node")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = clients,
        };
        foreach (var argument in new[]
        {
            Path.Combine(clients, "send.mjs"), "--sdk", sdk, "--host", host.ToString().TrimEnd('/'), "--write-key", writeKey,
            "--user-id", userId, "--anonymous-id", anonymousId, "--email", email,
        })
        {
            info.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("node is not installed or not on the PATH; run ./test.sh, which installs it", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RunTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            if (ct.IsCancellationRequested)
                throw;
            return new NodeRun(-1, $"send.mjs did not finish within {RunTimeout.TotalSeconds:0} s\n{Read(output)}");
        }

        return new NodeRun(process.ExitCode, Read(output));
    }

    /// <summary><c>tests/clients</c> of this repository, with its npm packages installed.</summary>
    private static string ClientsFolder()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Nudge.slnx")))
            root = root.Parent;
        if (root is null)
            throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Nudge.slnx; cannot find tests/clients.");

        var clients = Path.Combine(root.FullName, "tests", "clients");
        if (!Directory.Exists(Path.Combine(clients, "node_modules")))
            throw new InvalidOperationException($"{clients}/node_modules is missing: run ./test.sh, which runs npm ci.");
        return clients;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
            return output.ToString();
    }
}
