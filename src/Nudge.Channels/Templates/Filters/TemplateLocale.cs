namespace Nudge.Channels.Templates.Filters;

/// <summary>
/// How one language and country writes money and dates: separators, where the currency symbol goes, month and
/// day names, and date patterns (CLDR-style: <c>d</c>, <c>dd</c>, <c>M</c>, <c>MM</c>, <c>MMM</c>, <c>MMMM</c>,
/// <c>yy</c>, <c>yyyy</c>, <c>EEEE</c>, <c>H</c>, <c>HH</c>, <c>h</c>, <c>mm</c>, <c>a</c>, <c>'quoted text'</c>).
/// </summary>
/// <param name="Tag">The BCP 47 tag, e.g. <c>de-DE</c>.</param>
/// <param name="DecimalSeparator">Between whole and fraction.</param>
/// <param name="GroupSeparator">Between groups of thousands.</param>
/// <param name="CurrencyPattern"><c>¤n</c>, <c>¤ n</c> or <c>n ¤</c>: where the symbol stands (the space is a no-break space).</param>
/// <param name="Months">Month names as used in a date (January first; genitive forms where the language needs them).</param>
/// <param name="ShortMonths">Abbreviated month names.</param>
/// <param name="Days">Weekday names, Sunday first.</param>
/// <param name="Short">Pattern of <c>local_date: "short"</c>.</param>
/// <param name="Medium">Pattern of <c>local_date: "medium"</c>.</param>
/// <param name="Long">Pattern of <c>local_date: "long"</c>.</param>
/// <param name="Full">Pattern of <c>local_date: "full"</c>.</param>
/// <param name="Time">Pattern of <c>local_date: "time"</c>.</param>
public sealed record TemplateLocale(
    string Tag,
    string DecimalSeparator,
    string GroupSeparator,
    string CurrencyPattern,
    IReadOnlyList<string> Months,
    IReadOnlyList<string> ShortMonths,
    IReadOnlyList<string> Days,
    string Short,
    string Medium,
    string Long,
    string Full,
    string Time)
{
    /// <summary>The pattern of a named style, or null for an unknown style name.</summary>
    public string? Pattern(string style) => style switch
    {
        "short" => Short,
        "medium" => Medium,
        "long" => Long,
        "full" => Full,
        "time" => Time,
        "short_datetime" => Short + " " + Time,
        "datetime" or "medium_datetime" => Medium + " " + Time,
        "long_datetime" => Long + " " + Time,
        _ => null,
    };

    /// <summary>The named styles of <c>local_date</c>.</summary>
    public static readonly IReadOnlyList<string> Styles = ["short", "medium", "long", "full", "time", "short_datetime", "datetime", "medium_datetime", "long_datetime"];
}
