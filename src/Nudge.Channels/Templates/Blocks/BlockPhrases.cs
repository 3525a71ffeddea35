using Nudge.Channels.Templates.Filters;

namespace Nudge.Channels.Templates.Blocks;

/// <summary>The few words the built-in blocks write themselves, in the reader's language (English otherwise).</summary>
/// <param name="Off">A discount: <c>{0}</c> is the amount or percentage.</param>
/// <param name="FreeShipping">A free-shipping coupon.</param>
/// <param name="ValidUntil">A coupon's last day: <c>{0}</c> is the date.</param>
/// <param name="SoldOut">A product that cannot be bought now.</param>
/// <param name="SpaceBeforePercent">Whether the language writes <c>10 %</c> rather than <c>10%</c>.</param>
internal sealed record BlockPhrases(string Off, string FreeShipping, string ValidUntil, string SoldOut, bool SpaceBeforePercent)
{
    private static readonly BlockPhrases English = new("{0} off", "Free shipping", "Valid until {0}", "Sold out", false);

    private static readonly Dictionary<string, BlockPhrases> ByLanguage = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = English,
        ["de"] = new("{0} Rabatt", "Kostenloser Versand", "Gültig bis {0}", "Ausverkauft", true),
        ["fr"] = new("{0} de réduction", "Livraison gratuite", "Valable jusqu’au {0}", "Épuisé", true),
        ["es"] = new("{0} de descuento", "Envío gratis", "Válido hasta el {0}", "Agotado", true),
        ["it"] = new("{0} di sconto", "Spedizione gratuita", "Valido fino al {0}", "Esaurito", false),
        ["nl"] = new("{0} korting", "Gratis verzending", "Geldig tot {0}", "Uitverkocht", false),
        ["pt"] = new("{0} de desconto", "Envio grátis", "Válido até {0}", "Esgotado", false),
        ["sv"] = new("{0} rabatt", "Fri frakt", "Gäller till {0}", "Slutsåld", true),
        ["da"] = new("{0} rabat", "Gratis fragt", "Gælder til {0}", "Udsolgt", true),
        ["nb"] = new("{0} rabatt", "Gratis frakt", "Gyldig til {0}", "Utsolgt", true),
        ["no"] = new("{0} rabatt", "Gratis frakt", "Gyldig til {0}", "Utsolgt", true),
        ["fi"] = new("{0} alennus", "Ilmainen toimitus", "Voimassa {0} asti", "Loppuunmyyty", true),
        ["pl"] = new("{0} zniżki", "Darmowa dostawa", "Ważny do {0}", "Wyprzedane", true),
    };

    /// <summary>The phrases of the locale's language.</summary>
    public static BlockPhrases For(TemplateLocale locale)
    {
        var dash = locale.Tag.IndexOf('-', StringComparison.Ordinal);
        var language = dash > 0 ? locale.Tag[..dash] : locale.Tag;
        return ByLanguage.GetValueOrDefault(language, English);
    }

    /// <summary>A percentage as the language writes it: <c>10%</c>, <c>10 %</c>, <c>12,5 %</c>.</summary>
    public string Percent(decimal value, TemplateLocale locale)
    {
        var number = value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture).Replace(".", locale.DecimalSeparator, StringComparison.Ordinal);
        return number + (SpaceBeforePercent ? "\u00A0%" : "%");
    }
}
