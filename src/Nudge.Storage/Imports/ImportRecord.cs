namespace Nudge.Storage.Imports;

/// <summary>What an import is in: running (or interrupted, until it is resumed), completed, or failed as a whole.</summary>
public static class ImportStatus
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>One imported file, with how far it got.</summary>
/// <param name="Id">The import's id (<c>imp_...</c>).</param>
/// <param name="WorkspaceId">The shop it imports into.</param>
/// <param name="Kind">customers, orders or products.</param>
/// <param name="Format">csv or ndjson.</param>
/// <param name="FileName">The file's name as given.</param>
/// <param name="Fingerprint">A hash of the kind, the mapping and the file's bytes: the same file imported the same way has the same one.</param>
/// <param name="Mapping">Field to column, as JSON.</param>
/// <param name="FilePath">Where the server keeps an uploaded file until it is imported (null for files the CLI reads in place).</param>
/// <param name="Status">See <see cref="ImportStatus"/>.</param>
/// <param name="TotalBytes">The file's size.</param>
/// <param name="Checkpoint">How far it got.</param>
/// <param name="Header">The CSV header as read at the start (a resumed CSV import starts mid-file).</param>
/// <param name="Message">Why a failed import failed, or a note on a completed one.</param>
/// <param name="CreatedAt">When it started.</param>
/// <param name="UpdatedAt">Its last checkpoint.</param>
/// <param name="FinishedAt">When it completed or failed.</param>
public sealed record ImportRecord(
    string Id,
    string WorkspaceId,
    string Kind,
    string Format,
    string FileName,
    string Fingerprint,
    string Mapping,
    string? FilePath,
    string Status,
    long TotalBytes,
    ImportCheckpoint Checkpoint,
    string? Header,
    string? Message,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt)
{
    /// <summary>Read share of the file, 0 to 1.</summary>
    public double Progress => Status == ImportStatus.Completed ? 1 : TotalBytes <= 0 ? 0 : Math.Min(1, (double)Checkpoint.NextOffset / TotalBytes);
}

/// <summary>
/// How far an import got: every row before <see cref="NextOffset"/> is in the event log (or was reported as bad),
/// and the log had reached <see cref="LastSequence"/> when that was committed.
/// </summary>
/// <param name="NextOffset">Byte offset in the file where the first row not yet imported starts.</param>
/// <param name="NextLine">Line number of that row.</param>
/// <param name="LastSequence">The highest log sequence of the rows imported so far.</param>
/// <param name="Imported">Rows imported.</param>
/// <param name="Skipped">Rows that were already in the log (a re-run, an overlapping file).</param>
/// <param name="Failed">Bad rows.</param>
/// <param name="Errors">The first bad rows, with line, field and reason.</param>
public sealed record ImportCheckpoint(
    long NextOffset, long NextLine, long LastSequence, long Imported, long Skipped, long Failed, IReadOnlyList<ImportRowError> Errors)
{
    public static ImportCheckpoint Start { get; } = new(0, 1, 0, 0, 0, 0, []);
}

/// <summary>A bad row: where it is, which field, and why.</summary>
public sealed record ImportRowError(long Line, string Field, string Message);
