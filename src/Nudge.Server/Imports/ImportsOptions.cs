namespace Nudge.Server.Imports;

/// <summary>Where the server keeps uploaded import files until they are imported, and how large they may be.</summary>
public sealed class ImportsOptions
{
    /// <summary>The folder for uploads (default: <c>imports</c> next to the SQLite database, else <c>data/imports</c>).</summary>
    public string Folder { get; set; } = Path.Combine("data", "imports");

    /// <summary>The largest upload accepted (default 4 GiB).</summary>
    public long MaxFileBytes { get; set; } = 4L << 30;
}
