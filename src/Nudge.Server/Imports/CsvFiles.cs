using CsvHelper;

namespace Nudge.Server.Imports;

/// <summary>How Nudge reads the CSV files people upload (list members, customers, orders): one set of rules for all.</summary>
internal static class CsvFiles
{
    /// <summary>A record longer than this is refused rather than buffered (a stray quote could swallow the file).</summary>
    public const int MaxRecordBytes = 64 * 1024;

    /// <summary>Reader options: header or not, line numbers, bad records skipped and reported to <paramref name="malformed"/>.</summary>
    public static CsvReaderOptions Options(bool hasHeader, Action<long, string> malformed, char? separator = null)
    {
        return new CsvReaderOptions
        {
            Separator = separator,
            HasHeader = hasHeader,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            TrimWhitespace = true,
            MaxRecordSize = MaxRecordBytes,
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = bad => malformed(bad.LineNumber, $"is not valid CSV ({Describe(bad.Reason)})"),
        };
    }

    /// <summary>A header as compared with field names: trimmed, lower case, spaces and dashes as underscores, no byte order mark.</summary>
    public static string Normalize(string header) =>
        header.Trim().TrimStart('\uFEFF').ToLowerInvariant().Replace(' ', '_').Replace('-', '_');

    public static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "a quote inside an unquoted field",
        CsvMalformedReason.TextAfterClosingQuote => "text after a closing quote",
        CsvMalformedReason.UnterminatedQuote => "a quoted field that is never closed",
        CsvMalformedReason.FieldCountMismatch => "a different number of fields than the header",
        _ => "malformed quoting",
    };
}
