using Nudge.Server.Lists;
using Nudge.Storage.Imports;

namespace Nudge.Server.Imports;

/// <summary>An import as the API shows it.</summary>
/// <param name="Id">The import's id.</param>
/// <param name="Kind">customers or orders.</param>
/// <param name="Format">csv or ndjson.</param>
/// <param name="FileName">The file's name.</param>
/// <param name="Mapping">Field to column, where the file's names differ.</param>
/// <param name="Status">running, completed or failed.</param>
/// <param name="Progress">Share of the file read and committed, 0 to 1.</param>
/// <param name="BytesRead">Bytes of the file read and committed.</param>
/// <param name="TotalBytes">The file's size.</param>
/// <param name="Imported">Customers or orders written to the event log.</param>
/// <param name="Skipped">Customers or orders already in the log (an earlier run, an overlapping file).</param>
/// <param name="Failed">Bad rows (not imported).</param>
/// <param name="Errors">The first bad rows with line, field and reason.</param>
/// <param name="ErrorsNotShown">Bad rows beyond those listed.</param>
/// <param name="Message">Why a failed import failed.</param>
/// <param name="CreatedAt">When it started.</param>
/// <param name="UpdatedAt">Its last checkpoint.</param>
/// <param name="FinishedAt">When it completed or failed.</param>
public sealed record ImportView(
    string Id,
    string Kind,
    string Format,
    string FileName,
    IReadOnlyDictionary<string, string> Mapping,
    string Status,
    double Progress,
    long BytesRead,
    long TotalBytes,
    long Imported,
    long Skipped,
    long Failed,
    IReadOnlyList<ImportError> Errors,
    long ErrorsNotShown,
    string? Message,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt)
{
    public static ImportView Of(ImportRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var c = r.Checkpoint;
        return new ImportView(
            r.Id, r.Kind, r.Format, r.FileName, ImportMapping.FromJson(r.Mapping).Columns, r.Status, Math.Round(r.Progress, 4),
            r.Status == ImportStatus.Completed ? r.TotalBytes : c.NextOffset, r.TotalBytes, c.Imported, c.Skipped, c.Failed,
            c.Errors.Select(e => new ImportError(e.Line, e.Field, e.Message)).ToList(), Math.Max(0, c.Failed - c.Errors.Select(e => e.Line).Distinct().Count()), r.Message,
            r.CreatedAt, r.UpdatedAt, r.FinishedAt);
    }
}
