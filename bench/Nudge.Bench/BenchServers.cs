using Nudge.Testing;

namespace Nudge.Bench;

/// <summary>Where a benchmark finds the server it starts, and how it cleans up after it.</summary>
internal static class BenchServers
{
    /// <summary>The nudge.dll given, or the Release build of the repository's server; null when neither is known.</summary>
    public static string? ServerDll(string? given, string? repositoryRoot) =>
        given ?? (repositoryRoot is null ? null : Path.Combine(repositoryRoot, "src", "Nudge.Server", "bin", "Release", "net10.0", "nudge.dll"));

    /// <summary>
    /// A fresh server for the load benchmarks: its own temporary folder and keys, warning-level logs, and no
    /// per-client rate limit on tracking, since the load comes from one client.
    /// </summary>
    public static ServerSettings UnderLoad(string serverDll) => new(Path.Combine(Path.GetTempPath(), $"nudge-bench-{Guid.NewGuid():N}"))
    {
        ServerDll = serverDll,
        WriteKey = "nk_srv_bench_" + Guid.NewGuid().ToString("N"),
        AdminKey = "nk_adm_bench_" + Guid.NewGuid().ToString("N"),
        BrowserKey = null,
        StartTimeout = TimeSpan.FromSeconds(90),
        Environment = new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = "Warning",
            ["Nudge__Ingestion__RequestsPerSecondPerClient"] = "1000000",
        },
    };

    public static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up with the rest of the temp folder.
        }
    }
}
