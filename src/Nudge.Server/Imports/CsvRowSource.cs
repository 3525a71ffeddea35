using System.Text.Json;
using CsvHelper;

namespace Nudge.Server.Imports;

/// <summary>CSV rows. A resumed import starts mid-file, without the header: the header read at the start is stored with the import.</summary>
internal sealed class CsvRowSource : RowSource
{
    private readonly FileStream _file;
    private readonly long _baseOffset;
    private readonly long _baseLine;
    private readonly RowErrors _errors;
    private readonly CsvReader _reader;
    private string[] _columns = [];
    private int[] _fieldColumn = [];
    private bool[] _bound = [];

    public CsvRowSource(string path, long offset, long line, string? header, RowErrors errors)
    {
        _errors = errors;
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        _baseOffset = offset;
        _baseLine = line - 1;
        _file.Seek(offset, SeekOrigin.Begin);
        char? separator = null;
        if (offset > 0 && header is not null)
        {
            var stored = JsonSerializer.Deserialize<StoredHeader>(header)!;
            _columns = stored.Columns;
            separator = stored.Separator;
        }
        _reader = CsvReader.Create(_file, CsvFiles.Options(offset == 0, Malformed, separator), leaveOpen: true);
    }

    public override async Task<string?> StartAsync(CancellationToken ct)
    {
        if (_baseOffset > 0)
            return null;
        try
        {
            await _reader.ReadHeaderAsync(ct);
        }
        catch (CsvFormatException ex)
        {
            throw new ImportFileException("file", $"is not readable as CSV: {ex.Message}");
        }
        _columns = _reader.Headers.ToArray();
        var names = _columns.Select(CsvFiles.Normalize).ToArray();
        if (names.Length == 0)
            throw new ImportFileException("file", "is empty; the first line must name the columns");
        if (names.Any(n => n.Length == 0))
            throw new ImportFileException("header", "has a column without a name");
        if (names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ImportFileException("header", $"names the column '{twice.Key}' twice");
        return JsonSerializer.Serialize(new StoredHeader(_columns, _reader.Separator));
    }

    public override IReadOnlyList<string> Bind(ImportKind kind, ImportMapping mapping)
    {
        var missing = new List<string>();
        var names = _columns.Select(CsvFiles.Normalize).ToArray();
        _fieldColumn = new int[kind.Fields.Count];
        _bound = new bool[_columns.Length];
        for (var f = 0; f < kind.Fields.Count; f++)
        {
            var field = kind.Fields[f].Name;
            var index = -1;
            if (mapping.ColumnOf(field) is { } column)
            {
                index = Array.IndexOf(_columns, column);
                if (index < 0)
                    index = Array.IndexOf(names, CsvFiles.Normalize(column));
                if (index < 0)
                    missing.Add(column);
            }
            else
            {
                index = Array.IndexOf(names, field);
            }
            _fieldColumn[f] = index;
            if (index >= 0)
                _bound[index] = true;
        }
        return missing;
    }

    public override bool Lacks(int field) => _fieldColumn[field] < 0;

    public override async ValueTask<bool> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            bool read;
            try
            {
                read = await _reader.ReadAsync(ct);
            }
            catch (CsvFormatException ex)
            {
                _errors.Add(_baseLine + ex.LineNumber, "row", "is too long or not valid CSV; the rest of the file was not read");
                return false;
            }
            if (!read)
                return false;
            Line = _baseLine + _reader.LineNumber;
            Offset = _baseOffset + _reader.ByteOffset;
            if (_reader.FieldCount > _columns.Length)
            {
                _errors.Add(Line, "row", $"has {_reader.FieldCount} fields, but the header names {_columns.Length} columns");
                continue;
            }
            return true;
        }
    }

    public override string? Text(int field)
    {
        var index = _fieldColumn[field];
        return index >= 0 && index < _reader.FieldCount && _reader.GetString(index) is { Length: > 0 } value ? value : null;
    }

    public override JsonElement? Json(int field) => null;

    public override IEnumerable<(string Name, string? Text, JsonElement? Json)> Unbound()
    {
        for (var i = 0; i < _columns.Length && i < _reader.FieldCount; i++)
        {
            if (!_bound[i] && _reader.GetString(i) is { Length: > 0 } value)
                yield return (CsvFiles.Normalize(_columns[i]), value, null);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync();
        await _file.DisposeAsync();
    }

    private void Malformed(long line, string message) => _errors.Add(_baseLine + line, "row", message);

    private sealed record StoredHeader(string[] Columns, char Separator);
}

/// <summary>The file as a whole cannot be imported (no usable header, not CSV at all): a problem of the request, not of a row.</summary>
internal sealed class ImportFileException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
