namespace Nudge.Testing;

/// <summary>Clean-up of the temporary folders the test servers work in.</summary>
public static class TempFolders
{
    /// <summary>Deletes the folder and everything in it; a leftover temp folder is not worth failing a test run over.</summary>
    public static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
