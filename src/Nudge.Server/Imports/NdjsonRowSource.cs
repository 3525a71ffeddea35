using System.Buffers;
using System.Text.Json;

namespace Nudge.Server.Imports;

/// <summary>
/// NDJSON rows: one JSON object per line. A mapped column may be a path into the object (<c>customer.email</c>).
/// Lines are found by their bytes, so offsets are exact and a resume starts at any line.
/// </summary>
internal sealed class NdjsonRowSource(string path, long offset, long line, RowErrors errors) : RowSource
{
    private const int MaxLineBytes = 1 << 20;

    private readonly FileStream _file = OpenAt(path, offset);
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
    private readonly ArrayBufferWriter<byte> _long = new();
    private int _start;
    private int _end;
    private long _bufferOffset = offset;
    private long _nextLine = line;
    private bool _eof;
    private string[][] _paths = [];
    private HashSet<string> _boundTop = [];
    private JsonDocument? _row;

    public override Task<string?> StartAsync(CancellationToken ct) => Task.FromResult<string?>(null);

    public override IReadOnlyList<string> Bind(ImportKind kind, ImportMapping mapping)
    {
        _paths = kind.Fields.Select(f => (mapping.ColumnOf(f.Name) ?? f.Name).Split('.')).ToArray();
        _boundTop = _paths.Select(p => p[0]).ToHashSet(StringComparer.Ordinal);
        return [];
    }

    public override bool Lacks(int field) => false;

    public override async ValueTask<bool> ReadAsync(CancellationToken ct)
    {
        while (await NextLineAsync(ct) is { } bytes)
        {
            var text = Trim(bytes.Span);
            if (text.IsEmpty)
                continue;
            _row?.Dispose();
            _row = null;
            try
            {
                _row = JsonDocument.Parse(bytes);
            }
            catch (JsonException ex)
            {
                errors.Add(Line, "row", $"is not valid JSON ({ex.Message.Split(" LineNumber", 2)[0].TrimEnd('.', ' ')})");
                continue;
            }
            if (_row.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(Line, "row", "is not a JSON object");
                continue;
            }
            return true;
        }
        return false;
    }

    public override string? Text(int field) => Json(field) is not { } value ? null : value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s.Trim() : null,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };

    public override JsonElement? Json(int field)
    {
        if (_row is null)
            return null;
        var current = _row.RootElement;
        foreach (var step in _paths[field])
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(step, out current))
                return null;
        }
        return current.ValueKind is JsonValueKind.Null ? null : current;
    }

    public override IEnumerable<(string Name, string? Text, JsonElement? Json)> Unbound()
    {
        if (_row is null)
            yield break;
        foreach (var property in _row.RootElement.EnumerateObject())
        {
            if (!_boundTop.Contains(property.Name) && property.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                yield return (property.Name, null, property.Value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        _row?.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        await _file.DisposeAsync();
    }

    /// <summary>The next line's bytes (without the line break); sets <see cref="RowSource.Line"/> and <see cref="RowSource.Offset"/>.</summary>
    private async ValueTask<ReadOnlyMemory<byte>?> NextLineAsync(CancellationToken ct)
    {
        _long.Clear();
        var lineStart = _bufferOffset + _start;
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                Memory<byte> found = _buffer.AsMemory(_start, newline);
                _start += newline + 1;
                return Take(found, lineStart);
            }
            if (_eof)
            {
                if (_end == _start && _long.WrittenCount == 0)
                    return null;
                Memory<byte> rest = _buffer.AsMemory(_start, _end - _start);
                _start = _end;
                return Take(rest, lineStart);
            }
            // Keep the partial line and read more.
            if (_long.WrittenCount + (_end - _start) > MaxLineBytes)
                throw new ImportFileException("file", $"line {_nextLine} is longer than {MaxLineBytes} bytes");
            _long.Write(_buffer.AsSpan(_start, _end - _start));
            _bufferOffset += _end;
            _start = _end = 0;
            var read = await _file.ReadAsync(_buffer.AsMemory(), ct);
            if (read == 0)
                _eof = true;
            _end = read;
        }
    }

    private ReadOnlyMemory<byte> Take(Memory<byte> tail, long lineStart)
    {
        Line = _nextLine++;
        Offset = lineStart;
        if (_long.WrittenCount == 0)
            return tail;
        _long.Write(tail.Span);
        return _long.WrittenMemory;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> line) => line.Trim(" \t\r\uFEFF"u8).TrimStart((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);

    private static FileStream OpenAt(string path, long offset)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        file.Seek(offset, SeekOrigin.Begin);
        return file;
    }
}
