namespace Nudge.Core.Coupons;

/// <summary>
/// Reads a list of codes a shop owner uploads: plain text with one code a line, or a CSV file whose header has a
/// <c>code</c> column (comma or semicolon separated; other columns are ignored). Empty lines are skipped; codes
/// that repeat in the file and lines that hold no usable code are reported with their line number.
/// </summary>
public static class CodeUpload
{
    /// <summary>The most codes one upload may hold.</summary>
    public const int MaxCodes = 1_000_000;

    /// <summary>Reads <paramref name="text"/>.</summary>
    public static CodeUploadResult Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var codes = new List<UploadedCode>();
        var repeated = new List<UploadedCode>();
        var invalid = new List<RejectedLine>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var column = -1;
        var separator = ',';
        var lineNumber = 0;
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } raw)
        {
            lineNumber++;
            var line = raw.Trim().TrimStart('\uFEFF');
            if (line.Length == 0)
                continue;
            if (column < 0 && codes.Count == 0 && repeated.Count == 0 && invalid.Count == 0 && Header(line) is { } header)
            {
                (column, separator) = header;
                continue;
            }
            var value = column < 0 ? line : Cell(line, separator, column);
            if (value is null)
            {
                invalid.Add(new RejectedLine(lineNumber, "has no code column"));
                continue;
            }
            if (CouponCodes.Problem(value) is { } problem)
            {
                invalid.Add(new RejectedLine(lineNumber, "code " + problem));
                continue;
            }
            var code = new UploadedCode(lineNumber, value.Trim());
            if (seen.Add(CouponCodes.Key(code.Code)))
                codes.Add(code);
            else
                repeated.Add(code);
            if (codes.Count > MaxCodes)
            {
                invalid.Add(new RejectedLine(lineNumber, $"more than {MaxCodes} codes in one upload; split the file"));
                break;
            }
        }
        return new CodeUploadResult(codes, repeated, invalid);
    }

    /// <summary>A header line names a <c>code</c> column; a single code is not a header.</summary>
    private static (int Column, char Separator)? Header(string line)
    {
        var separator = line.Contains(';', StringComparison.Ordinal) && !line.Contains(',', StringComparison.Ordinal) ? ';' : ',';
        var names = line.Split(separator).Select(n => n.Trim().Trim('"').ToLowerInvariant()).ToList();
        var index = names.FindIndex(n => n is "code" or "coupon" or "coupon_code" or "discount_code");
        return index >= 0 ? (index, separator) : null;
    }

    private static string? Cell(string line, char separator, int column)
    {
        var cells = line.Split(separator);
        return column < cells.Length ? cells[column].Trim().Trim('"') : null;
    }
}

/// <summary>What an upload held: the codes (first of each), codes that came again, and lines that were not codes.</summary>
public sealed record CodeUploadResult(IReadOnlyList<UploadedCode> Codes, IReadOnlyList<UploadedCode> Repeated, IReadOnlyList<RejectedLine> Invalid);

/// <summary>A code and the line it was on.</summary>
public sealed record UploadedCode(int Line, string Code);

/// <summary>A line of an upload that held no usable code, and why.</summary>
public sealed record RejectedLine(int Line, string Reason);
