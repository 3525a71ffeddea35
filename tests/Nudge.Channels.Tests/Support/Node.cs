using System.Diagnostics;
using System.Text;

namespace Nudge.Channels.Tests.Support;

/// <summary>Runs a script of <c>tests/clients</c> (with its npm packages) under Node.js.</summary>
public static class Node
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="script"/> with <paramref name="input"/> on stdin; returns its exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string script, string input, CancellationToken ct)
    {
        var clients = ClientsFolder();
        var info = new ProcessStartInfo("node")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = clients,
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Path.Combine(clients, script));
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("node is not installed or not on the PATH; run ./test.sh, which installs it", ex);
        }

        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RunTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output, await errors);
    }

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
}
