using System.Text;

namespace Nudge.Server.Consent;

/// <summary>The CSV of exports and imports (RFC 4180, one record per line).</summary>
internal static class CsvText
{
    /// <summary>A field for a CSV file: quoted when needed, and never read as a formula by a spreadsheet.</summary>
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        // A leading =, +, - or @ would run as a formula in a spreadsheet.
        var text = value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    /// <summary>The fields of one line; null when a quoted field is not closed on the line.</summary>
    public static List<string>? Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"')
                    field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"')
                    field.Append(line[++i]);
                else
                    quoted = false;
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
            return null;
        fields.Add(field.ToString());
        return fields;
    }
}
