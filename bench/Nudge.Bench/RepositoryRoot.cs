namespace Nudge.Bench;

/// <summary>Finds the checkout the benchmark runs in, for the default server path and docs/benchmarks.md.</summary>
internal static class RepositoryRoot
{
    public static string? Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Nudge.slnx")))
                    return dir.FullName;
            }
        }

        return null;
    }
}
