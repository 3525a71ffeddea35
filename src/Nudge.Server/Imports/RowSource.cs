using System.Text.Json;

namespace Nudge.Server.Imports;

/// <summary>
/// A file's rows, streamed one at a time, with the line and byte offset where each starts (for error reports and
/// checkpoints). The fields of the import kind are bound once to the file's columns, then read per row by number.
/// </summary>
internal abstract class RowSource : IAsyncDisposable
{
    /// <summary>Line of the current row.</summary>
    public long Line { get; protected set; }

    /// <summary>Byte offset where the current row starts.</summary>
    public long Offset { get; protected set; }

    /// <summary>Reads the header (CSV) so that fields can be bound; the header as stored for a resume, or null when the format has none.</summary>
    public abstract Task<string?> StartAsync(CancellationToken ct);

    /// <summary>
    /// Binds the kind's fields to columns; returns the mapping's columns that the file does not have (a mapping to a
    /// missing column is an error, not a silently empty field).
    /// </summary>
    public abstract IReadOnlyList<string> Bind(ImportKind kind, ImportMapping mapping);

    /// <summary>True when the file can say whether <paramref name="field"/> has a column at all (CSV can, NDJSON cannot).</summary>
    public abstract bool Lacks(int field);

    /// <summary>Moves to the next readable row; false at the end of the file.</summary>
    public abstract ValueTask<bool> ReadAsync(CancellationToken ct);

    /// <summary>A field of the current row as text; null when empty or absent.</summary>
    public abstract string? Text(int field);

    /// <summary>A field of the current row as JSON, where the format has it (NDJSON); null otherwise.</summary>
    public abstract JsonElement? Json(int field);

    /// <summary>The current row's columns that are bound to no field, with their values (empty ones left out).</summary>
    public abstract IEnumerable<(string Name, string? Text, JsonElement? Json)> Unbound();

    public abstract ValueTask DisposeAsync();

    /// <summary>Opens <paramref name="path"/> at a checkpoint (offset 0: the start).</summary>
    public static RowSource Open(string format, string path, long offset, long line, string? header, RowErrors errors) =>
        format == ImportFormats.Ndjson
            ? new NdjsonRowSource(path, offset, line, errors)
            : new CsvRowSource(path, offset, line, header, errors);
}

/// <summary>The file formats an import reads.</summary>
internal static class ImportFormats
{
    public const string Csv = "csv";
    public const string Ndjson = "ndjson";

    /// <summary>The format a file's name or first byte suggests: <c>.ndjson</c>, <c>.jsonl</c>, <c>.json</c> or a leading <c>{</c> is NDJSON.</summary>
    public static string Guess(string fileName, ReadOnlySpan<byte> start)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (extension is ".ndjson" or ".jsonl" or ".json")
            return Ndjson;
        if (extension is ".csv" or ".tsv" or ".txt")
            return Csv;
        foreach (var b in start)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
                continue;
            return b == (byte)'{' ? Ndjson : Csv;
        }
        return Csv;
    }

    public static string? Read(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "csv" => Csv,
        "ndjson" or "jsonl" or "json" => Ndjson,
        _ => "",
    };
}
