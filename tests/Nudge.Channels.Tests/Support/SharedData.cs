namespace Nudge.Channels.Tests.Support;

/// <summary>Finds <c>shared/data</c>, which lives beside the repository (<c>../shared/data</c> from its root).</summary>
public static class SharedData
{
    public static string GoldenLiquid => Path.Combine(Folder(), "golden-liquid");

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Nudge.slnx")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("Nudge.slnx not found above " + AppContext.BaseDirectory);
    }

    private static string Folder()
    {
        var root = RepositoryRoot();
        // A worktree sits next to the main checkout, so shared/ may be beside either.
        foreach (var candidate in new[] { Path.Combine(root, "..", "shared", "data"), Path.Combine(root, "..", "..", "shared", "data") })
        {
            if (Directory.Exists(candidate))
                return Path.GetFullPath(candidate);
        }
        throw new DirectoryNotFoundException("shared/data not found beside " + root);
    }
}
