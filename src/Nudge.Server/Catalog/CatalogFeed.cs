using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using Nudge.Core.Catalog;
using Nudge.Core.Ingestion;
using Nudge.Server.Lists;
using Nudge.Storage.Catalog;

namespace Nudge.Server.Catalog;

/// <summary>The formats a product feed comes in.</summary>
public enum FeedFormat
{
    /// <summary>Comma-separated, a header row naming the fields; rows sharing an id are one product's variants.</summary>
    Csv,

    /// <summary>A JSON array of products, or an object with a <c>products</c> array.</summary>
    Json,

    /// <summary>One JSON product per line.</summary>
    Ndjson,
}

/// <summary>
/// Imports a product feed. Every row is checked on its own: bad rows are reported with their line and reason, good
/// products are upserted in chunks. A product whose rows include a bad one is left as it was (importing it without
/// that row would drop a variant). The store writes nothing for a product that did not change, so running the same
/// feed again changes nothing.
/// </summary>
public sealed class CatalogFeed(CatalogStore store)
{
    /// <summary>Largest feed accepted.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    private const int Chunk = 500;

    /// <summary>The format asked for by query, file name or content type; null when none says.</summary>
    public static FeedFormat? FormatOf(string? format, string? fileName, string? contentType)
    {
        var named = format?.Trim().ToLowerInvariant() ?? Path.GetExtension(fileName ?? "").TrimStart('.').ToLowerInvariant();
        switch (named)
        {
            case "csv":
                return FeedFormat.Csv;
            case "json":
                return FeedFormat.Json;
            case "ndjson" or "jsonl":
                return FeedFormat.Ndjson;
            case "":
                break;
            default:
                return null;
        }
        var type = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return type switch
        {
            "text/csv" => FeedFormat.Csv,
            "application/json" => FeedFormat.Json,
            "application/x-ndjson" or "application/ndjson" or "application/jsonl" => FeedFormat.Ndjson,
            _ => null,
        };
    }

    /// <summary>Imports the feed; a problem (field, message) when the file as a whole cannot be read.</summary>
    public async Task<(FeedResult? Result, FieldError? Problem)> RunAsync(string workspaceId, FeedFormat format, Stream body, CancellationToken ct)
    {
        var run = new Run();
        var products = new List<(long Line, CatalogProduct Product)>();
        if (format == FeedFormat.Csv)
        {
            if (await ReadCsvAsync(body, run, ct) is { } problem)
                return (null, problem);
            foreach (var group in run.Groups.Values.Where(g => !g.Bad))
                Add(group.Product, group.Line, group.VariantLines, run, products);
        }
        else
        {
            var bytes = await ReadAllAsync(body, ct);
            if (bytes is null)
                return (null, new FieldError("file", $"is larger than {MaxBytes / 1024 / 1024} MB"));
            var problem = format == FeedFormat.Json ? ReadJsonArray(bytes, run, products) : ReadNdjson(bytes, run, products);
            if (problem is not null)
                return (null, problem);
        }

        int created = 0, updated = 0, unchanged = 0;
        foreach (var chunk in products.Chunk(Chunk))
        {
            var result = await store.UpsertAsync(workspaceId, chunk.Select(p => p.Product).ToList(), ct);
            created += result.Created;
            updated += result.Updated;
            unchanged += result.Unchanged;
        }
        return (new FeedResult(run.Rows, created, updated, unchanged, run.Errors.OrderBy(e => e.Line).ToList(), run.ErrorsNotShown), null);
    }

    private static void Add(JsonNode node, long line, IReadOnlyList<long> variantLines, Run run, List<(long, CatalogProduct)> products)
    {
        var errors = new List<FieldError>();
        var element = JsonSerializer.SerializeToElement(node);
        if (CatalogJson.ReadProduct(element, "", errors, strict: false) is { } product)
        {
            products.Add((line, product));
            return;
        }
        foreach (var error in errors)
        {
            // A variant's error points at the variant's own row.
            var errorLine = line;
            var field = error.Field;
            if (field.StartsWith("variants[", StringComparison.Ordinal) && field.IndexOf(']', StringComparison.Ordinal) is > 9 and var end &&
                int.TryParse(field.AsSpan(9, end - 9), out var index) && index < variantLines.Count)
            {
                errorLine = variantLines[index];
                field = "variant_" + field[(end + 2)..];
            }
            run.Error(errorLine, field.Length == 0 ? "row" : field, error.Message);
        }
    }

    private static async Task<FieldError?> ReadCsvAsync(Stream body, Run run, CancellationToken ct)
    {
        var options = new CsvReaderOptions
        {
            HasHeader = true,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            TrimWhitespace = true,
            MaxRecordSize = 256 * 1024,
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = bad => run.Error(bad.LineNumber, "row", "is not valid CSV"),
        };
        var counted = new CountingStream(body, MaxBytes);
        await using var reader = CsvReader.Create(counted, options, leaveOpen: true);
        try
        {
            await reader.ReadHeaderAsync(ct);
        }
        catch (CsvFormatException ex)
        {
            return new FieldError("file", $"is not readable as CSV: {ex.Message}");
        }
        var headers = reader.Headers.Select(h => CatalogJson.Normalize(h.TrimStart('\uFEFF'))).ToArray();
        if (headers.Length == 0)
            return new FieldError("file", "is empty; the first line must name the columns (id, title, price, currency, ...)");
        var idColumn = Array.FindIndex(headers, h => h is "id" or "productid");
        if (idColumn < 0)
            return new FieldError("header", "needs an 'id' (or 'product_id') column");
        if (headers.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return new FieldError("header", $"names the column '{twice.Key}' twice");

        try
        {
            while (await reader.ReadAsync(ct))
            {
                run.Rows++;
                var line = reader.LineNumber;
                if (reader.FieldCount > headers.Length)
                {
                    run.Error(line, "row", $"has {reader.FieldCount} fields, but the header names {headers.Length} columns");
                    continue;
                }
                string? Field(int i) => i < reader.FieldCount && reader.GetString(i) is { Length: > 0 } v ? v : null;
                if (Field(idColumn) is not { } id)
                {
                    run.Error(line, "id", "is empty");
                    continue;
                }
                var product = new JsonObject();
                var variant = new JsonObject();
                for (var i = 0; i < headers.Length; i++)
                {
                    if (Field(i) is not { } value)
                        continue;
                    if (headers[i].StartsWith("variant", StringComparison.Ordinal) && headers[i] != "variants")
                        variant[headers[i]["variant".Length..]] = value;
                    else
                        product[headers[i]] = value;
                }
                if (!run.Groups.TryGetValue(id, out var group))
                    run.Groups[id] = group = new Group(line, product);
                if (variant.Count > 0)
                {
                    if (!variant.ContainsKey("id"))
                    {
                        run.Error(line, "variant_id", "is empty while other variant columns are set");
                        group.Bad = true;
                        continue;
                    }
                    group.AddVariant(variant, line);
                }
            }
        }
        catch (CsvFormatException ex)
        {
            run.Error(ex.LineNumber, "row", "is too long or not valid CSV; the rest of the file was not read");
        }
        catch (FeedTooLargeException)
        {
            return new FieldError("file", $"is larger than {MaxBytes / 1024 / 1024} MB");
        }
        return null;
    }

    private static FieldError? ReadJsonArray(byte[] bytes, Run run, List<(long, CatalogProduct)> products)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read())
                return new FieldError("file", "is empty; send a JSON array of products");
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                // {"products": [...]}: find the array, skipping other properties.
                var found = false;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    reader.Read();
                    if (name == "products" && reader.TokenType == JsonTokenType.StartArray)
                    {
                        found = true;
                        break;
                    }
                    reader.Skip();
                }
                if (!found)
                    return new FieldError("products", "must be an array of products");
            }
            else if (reader.TokenType != JsonTokenType.StartArray)
                return new FieldError("file", "must be a JSON array of products or {\"products\": [...]}");

            var lines = new LineCounter(bytes);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                run.Rows++;
                var line = lines.LineAt(reader.TokenStartIndex);
                var item = JsonElement.ParseValue(ref reader);
                Add(item, line, run, products);
            }
        }
        catch (JsonException ex)
        {
            return new FieldError("file", $"is not valid JSON (line {(ex.LineNumber ?? 0) + 1}): nothing was imported");
        }
        return null;
    }

    private static FieldError? ReadNdjson(byte[] bytes, Run run, List<(long, CatalogProduct)> products)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var line = 0L;
        foreach (var raw in text.Split('\n'))
        {
            line++;
            var trimmed = raw.Trim().TrimStart('\uFEFF');
            if (trimmed.Length == 0)
                continue;
            run.Rows++;
            JsonElement item;
            try
            {
                item = JsonSerializer.Deserialize<JsonElement>(trimmed);
            }
            catch (JsonException)
            {
                run.Error(line, "row", "is not valid JSON");
                continue;
            }
            Add(item, line, run, products);
        }
        return null;
    }

    private static void Add(JsonElement item, long line, Run run, List<(long, CatalogProduct)> products)
    {
        var errors = new List<FieldError>();
        if (CatalogJson.ReadProduct(item, "", errors, strict: false) is { } product)
            products.Add((line, product));
        foreach (var error in errors)
            run.Error(line, error.Field, error.Message);
    }

    /// <summary>Line numbers of offsets met in increasing order, counting each byte once.</summary>
    private sealed class LineCounter(byte[] bytes)
    {
        private long _offset;
        private long _line = 1;

        public long LineAt(long offset)
        {
            for (; _offset < offset; _offset++)
            {
                if (bytes[_offset] == (byte)'\n')
                    _line++;
            }
            return _line;
        }
    }

    private static async Task<byte[]?> ReadAllAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>The rows of one product in a CSV feed.</summary>
    private sealed class Group(long line, JsonObject product)
    {
        private readonly List<long> _variantLines = [];

        public long Line { get; } = line;

        public JsonObject Product { get; } = product;

        public bool Bad { get; set; }

        public IReadOnlyList<long> VariantLines => _variantLines;

        public void AddVariant(JsonObject variant, long line)
        {
            if (Product["variants"] is not JsonArray variants)
                Product["variants"] = variants = [];
            variants.Add(variant);
            _variantLines.Add(line);
        }
    }

    private sealed class Run
    {
        public int Rows { get; set; }

        public int ErrorCount { get; private set; }

        public int ErrorsNotShown => ErrorCount - Errors.Count;

        public List<ImportError> Errors { get; } = [];

        public Dictionary<string, Group> Groups { get; } = new(StringComparer.Ordinal);

        public void Error(long line, string field, string message)
        {
            ErrorCount++;
            if (Errors.Count < Nudge.Server.Imports.RowErrors.MaxShown)
                Errors.Add(new ImportError(line, field, message));
        }
    }

    private sealed class FeedTooLargeException : IOException;

    /// <summary>Stops reading a CSV body beyond the feed limit.</summary>
    private sealed class CountingStream(Stream inner, long max) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > max ? throw new FeedTooLargeException() : read;
        }
    }
}
