using System.Globalization;
using System.Text;

namespace Nudge.Channels.Templates.Filters;

/// <summary>
/// Writes amounts of money the way a shop's customer reads them: <c>€49.90</c> in English, <c>49,90 €</c> in
/// German. Amounts are in the currency's main unit (49.90, as the Segment e-commerce events carry them), not in
/// cents as in Shopify's own filters.
/// </summary>
public static class Money
{
    private const string Nbsp = "\u00A0";

    // Symbols and minor digits of the currencies shops sell in (CLDR); others are written with their ISO code.
    private static readonly Dictionary<string, (string Symbol, int Digits)> Currencies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["EUR"] = ("€", 2),
        ["USD"] = ("$", 2),
        ["GBP"] = ("£", 2),
        ["CHF"] = ("CHF", 2),
        ["SEK"] = ("kr", 2),
        ["NOK"] = ("kr", 2),
        ["DKK"] = ("kr.", 2),
        ["ISK"] = ("kr", 0),
        ["PLN"] = ("zł", 2),
        ["CZK"] = ("Kč", 2),
        ["HUF"] = ("Ft", 2),
        ["RON"] = ("lei", 2),
        ["BGN"] = ("лв.", 2),
        ["TRY"] = ("₺", 2),
        ["JPY"] = ("¥", 0),
        ["CNY"] = ("CN¥", 2),
        ["KRW"] = ("₩", 0),
        ["INR"] = ("₹", 2),
        ["CAD"] = ("CA$", 2),
        ["AUD"] = ("A$", 2),
        ["NZD"] = ("NZ$", 2),
        ["MXN"] = ("MX$", 2),
        ["BRL"] = ("R$", 2),
        ["ZAR"] = ("R", 2),
    };

    // Where a currency is the country's own, its local symbol drops the country prefix (CA$ is $ in Canada).
    private static readonly Dictionary<string, string> HomeCountry = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CAD"] = "CA",
        ["AUD"] = "AU",
        ["NZD"] = "NZ",
        ["MXN"] = "MX",
        ["CNY"] = "CN",
    };

    /// <summary>Whether <paramref name="code"/> looks like an ISO 4217 code (three letters).</summary>
    public static bool IsCurrencyCode(string? code) => code is { Length: 3 } && code.All(char.IsAsciiLetter);

    /// <summary>The amount with its currency symbol: <c>€49.90</c>, <c>49,90 €</c>.</summary>
    public static string Format(decimal amount, string currency, TemplateLocale locale, bool trimZeros = false)
    {
        var number = Number(amount, currency, locale, trimZeros);
        var symbol = Symbol(currency, locale);
        var negative = number.StartsWith('-');
        var digits = negative ? number[1..] : number;
        var formatted = locale.CurrencyPattern switch
        {
            "n ¤" => digits + Nbsp + symbol,
            "¤ n" => symbol + Nbsp + digits,
            _ => symbol + digits,
        };
        return negative ? "-" + formatted : formatted;
    }

    /// <summary>The amount with its currency's digits and the locale's separators, no symbol: <c>1,234.50</c>, <c>1.234,50</c>.</summary>
    public static string Number(decimal amount, string currency, TemplateLocale locale, bool trimZeros = false)
    {
        var digits = Currencies.TryGetValue(currency, out var known) ? known.Digits : 2;
        var rounded = Math.Round(amount, digits, MidpointRounding.AwayFromZero);
        if (trimZeros && rounded == decimal.Truncate(rounded))
            digits = 0;
        var plain = Math.Abs(rounded).ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var point = plain.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? plain : plain[..point];
        var builder = new StringBuilder(plain.Length + 8);
        if (rounded < 0)
            builder.Append('-');
        for (var i = 0; i < whole.Length; i++)
        {
            if (i > 0 && (whole.Length - i) % 3 == 0)
                builder.Append(locale.GroupSeparator);
            builder.Append(whole[i]);
        }
        if (point >= 0)
            builder.Append(locale.DecimalSeparator).Append(plain, point + 1, plain.Length - point - 1);
        return builder.ToString();
    }

    /// <summary>The symbol a reader of <paramref name="locale"/> knows the currency by; the ISO code when there is none.</summary>
    public static string Symbol(string currency, TemplateLocale locale)
    {
        if (!Currencies.TryGetValue(currency, out var known))
            return currency.ToUpperInvariant();
        if (HomeCountry.TryGetValue(currency, out var country) && locale.Tag.EndsWith("-" + country, StringComparison.OrdinalIgnoreCase))
            return "$";
        return known.Symbol;
    }
}
