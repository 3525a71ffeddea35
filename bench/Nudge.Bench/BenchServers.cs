namespace Nudge.Bench;

/// <summary>Where a benchmark finds the server it starts, and how it cleans up after it.</summary>
internal static class BenchServers
{
    /// <summary>The nudge.dll given, or the Release build of the repository's server; null when neither is known.</summary>
    public static string? ServerDll(string? given, string? repositoryRoot) =>
        given ?? (repositoryRoot is null ? null : Path.Combine(repositoryRoot, "src", "Nudge.Server", "bin", "Release", "net10.0", "nudge.dll"));

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
