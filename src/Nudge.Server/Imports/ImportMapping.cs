using System.Text.Json;

namespace Nudge.Server.Imports;

/// <summary>
/// Which column holds which field, where the file's names differ from Nudge's: <c>--map email=E-Mail</c> on the
/// command line, <c>{"email": "E-Mail"}</c> in the API. Fields not mapped are looked for under their own name.
/// </summary>
internal sealed class ImportMapping
{
    private readonly SortedDictionary<string, string> _columns;

    private ImportMapping(SortedDictionary<string, string> columns) => _columns = columns;

    public static ImportMapping None { get; } = new(new SortedDictionary<string, string>(StringComparer.Ordinal));

    /// <summary>The column named for <paramref name="field"/>, if the mapping names one.</summary>
    public string? ColumnOf(string field) => _columns.GetValueOrDefault(field);

    public IReadOnlyDictionary<string, string> Columns => _columns;

    /// <summary>The mapping as stored and fingerprinted: keys in order, so the same mapping is the same text.</summary>
    public string ToJson() => JsonSerializer.Serialize(_columns);

    /// <summary>Reads <c>field=Column</c> pairs; errors name the pair.</summary>
    public static ImportMapping Read(ImportKind kind, IEnumerable<string> pairs, Action<string, string> error)
    {
        var columns = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error("mapping", $"'{pair}' is not field=Column");
                continue;
            }
            Add(kind, columns, pair[..equals].Trim(), pair[(equals + 1)..], error);
        }
        return new ImportMapping(columns);
    }

    /// <summary>Reads a JSON object of field to column names.</summary>
    public static ImportMapping Read(ImportKind kind, JsonElement json, Action<string, string> error)
    {
        var columns = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (json.ValueKind != JsonValueKind.Object)
        {
            error("mapping", "must be a JSON object of field to column names, e.g. {\"email\": \"E-Mail\"}");
            return None;
        }
        foreach (var property in json.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                error($"mapping.{property.Name}", "must be a column name (a string)");
                continue;
            }
            Add(kind, columns, property.Name, property.Value.GetString()!, error);
        }
        return new ImportMapping(columns);
    }

    /// <summary>A stored mapping (already checked when the import started).</summary>
    public static ImportMapping FromJson(string json) =>
        new(new SortedDictionary<string, string>(JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [], StringComparer.Ordinal));

    private static void Add(ImportKind kind, SortedDictionary<string, string> columns, string field, string column, Action<string, string> error)
    {
        if (kind.IndexOf(field) < 0)
            error($"mapping.{field}", $"is not a field of a {kind.Name} import; the fields are {string.Join(", ", kind.Fields.Select(f => f.Name))}");
        else if (column.Trim().Length == 0)
            error($"mapping.{field}", "names no column");
        else if (!columns.TryAdd(field, column.Trim()))
            error($"mapping.{field}", "is mapped twice");
    }
}
