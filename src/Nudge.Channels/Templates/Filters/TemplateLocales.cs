namespace Nudge.Channels.Templates.Filters;

/// <summary>
/// The languages and countries Nudge writes money and dates for. Nudge runs with invariant globalization and
/// ICU's output changes between versions, so the data (from CLDR) lives here and renders the same on every
/// machine (ADR 0011). An unknown locale falls back to its language, then to <c>en-US</c>.
/// </summary>
public static class TemplateLocales
{
    private const string Nbsp = "\u00A0";

    private static readonly string[] EnMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] EnShort = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] EnDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] DeMonths = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"];
    private static readonly string[] DeShort = ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."];
    private static readonly string[] DeDays = ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"];
    private static readonly string[] PtMonths = ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"];
    private static readonly string[] PtShort = ["jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.", "nov.", "dez."];
    private static readonly string[] PtDays = ["domingo", "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado"];

    /// <summary>The default locale: American English.</summary>
    public static readonly TemplateLocale EnglishUs = new("en-US", ".", ",", "¤n", EnMonths, EnShort, EnDays,
        "M/d/yy", "MMM d, yyyy", "MMMM d, yyyy", "EEEE, MMMM d, yyyy", "h:mm a");

    private static readonly TemplateLocale EnglishGb = new("en-GB", ".", ",", "¤n", EnMonths, EnShort, EnDays,
        "dd/MM/yyyy", "d MMM yyyy", "d MMMM yyyy", "EEEE d MMMM yyyy", "HH:mm");

    private static readonly TemplateLocale German = new("de-DE", ",", ".", "n ¤", DeMonths, DeShort, DeDays,
        "dd.MM.yy", "dd.MM.yyyy", "d. MMMM yyyy", "EEEE, d. MMMM yyyy", "HH:mm");

    private static readonly TemplateLocale Portuguese = new("pt-PT", ",", Nbsp, "n ¤", PtMonths, PtShort, PtDays,
        "dd/MM/yy", "dd/MM/yyyy", "d 'de' MMMM 'de' yyyy", "EEEE, d 'de' MMMM 'de' yyyy", "HH:mm");

    private static readonly Dictionary<string, TemplateLocale> ByTag = Build();

    /// <summary>Every locale Nudge knows, by tag.</summary>
    public static IReadOnlyCollection<string> Tags => ByTag.Keys;

    /// <summary>
    /// The locale for a tag such as <c>de-DE</c>, <c>de_AT</c> or <c>fr</c>: the exact tag, else its language,
    /// else <c>en-US</c>.
    /// </summary>
    public static TemplateLocale Find(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
            return EnglishUs;
        var normalized = tag.Trim().Replace('_', '-');
        if (ByTag.TryGetValue(normalized, out var exact))
            return exact;
        var dash = normalized.IndexOf('-', StringComparison.Ordinal);
        var language = dash < 0 ? normalized : normalized[..dash];
        return ByTag.TryGetValue(language, out var byLanguage) ? byLanguage : EnglishUs;
    }

    private static Dictionary<string, TemplateLocale> Build()
    {
        var french = new TemplateLocale("fr-FR", ",", Nbsp, "n ¤",
            ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
            ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
            ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
            "dd/MM/yyyy", "d MMM yyyy", "d MMMM yyyy", "EEEE d MMMM yyyy", "HH:mm");
        var spanish = new TemplateLocale("es-ES", ",", ".", "n ¤",
            ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
            ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"],
            ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"],
            "d/M/yy", "d MMM yyyy", "d 'de' MMMM 'de' yyyy", "EEEE, d 'de' MMMM 'de' yyyy", "H:mm");
        var italian = new TemplateLocale("it-IT", ",", ".", "n ¤",
            ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
            ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"],
            ["domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"],
            "dd/MM/yy", "d MMM yyyy", "d MMMM yyyy", "EEEE d MMMM yyyy", "HH:mm");
        var dutch = new TemplateLocale("nl-NL", ",", ".", "¤ n",
            ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
            ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
            ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
            "dd-MM-yyyy", "d MMM yyyy", "d MMMM yyyy", "EEEE d MMMM yyyy", "HH:mm");
        var swedish = new TemplateLocale("sv-SE", ",", Nbsp, "n ¤",
            ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"],
            ["jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "dec."],
            ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
            "yyyy-MM-dd", "d MMM yyyy", "d MMMM yyyy", "EEEE d MMMM yyyy", "HH:mm");
        var danish = new TemplateLocale("da-DK", ",", ".", "n ¤",
            ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"],
            ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."],
            ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
            "dd.MM.yyyy", "d. MMM yyyy", "d. MMMM yyyy", "EEEE 'den' d. MMMM yyyy", "HH.mm");
        var norwegian = new TemplateLocale("nb-NO", ",", Nbsp, "n ¤",
            ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"],
            ["jan.", "feb.", "mar.", "apr.", "mai", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "des."],
            ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
            "dd.MM.yyyy", "d. MMM yyyy", "d. MMMM yyyy", "EEEE d. MMMM yyyy", "HH:mm");
        var finnish = new TemplateLocale("fi-FI", ",", Nbsp, "n ¤",
            ["tammikuuta", "helmikuuta", "maaliskuuta", "huhtikuuta", "toukokuuta", "kesäkuuta", "heinäkuuta", "elokuuta", "syyskuuta", "lokakuuta", "marraskuuta", "joulukuuta"],
            ["tammik.", "helmik.", "maalisk.", "huhtik.", "toukok.", "kesäk.", "heinäk.", "elok.", "syysk.", "lokak.", "marrask.", "jouluk."],
            ["sunnuntai", "maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai"],
            "d.M.yyyy", "d.M.yyyy", "d. MMMM yyyy", "EEEE d. MMMM yyyy", "H.mm");
        var polish = new TemplateLocale("pl-PL", ",", Nbsp, "n ¤",
            ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"],
            ["sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru"],
            ["niedziela", "poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota"],
            "dd.MM.yyyy", "d MMM yyyy", "d MMMM yyyy", "EEEE, d MMMM yyyy", "HH:mm");

        var locales = new Dictionary<string, TemplateLocale>(StringComparer.OrdinalIgnoreCase)
        {
            ["en"] = EnglishUs,
            ["en-US"] = EnglishUs,
            ["en-CA"] = EnglishUs with { Tag = "en-CA" },
            ["de"] = German,
            ["de-DE"] = German,
            ["de-AT"] = German with { Tag = "de-AT", CurrencyPattern = "¤ n" },
            ["de-CH"] = German with { Tag = "de-CH", DecimalSeparator = ".", GroupSeparator = "’", CurrencyPattern = "¤ n" },
            ["fr"] = french,
            ["fr-FR"] = french,
            ["fr-BE"] = french with { Tag = "fr-BE", Short = "d/MM/yy" },
            ["fr-CH"] = french with { Tag = "fr-CH", DecimalSeparator = ".", Short = "dd.MM.yy" },
            ["es"] = spanish,
            ["es-ES"] = spanish,
            ["it"] = italian,
            ["it-IT"] = italian,
            ["nl"] = dutch,
            ["nl-NL"] = dutch,
            ["nl-BE"] = dutch with { Tag = "nl-BE", Short = "d/MM/yyyy" },
            ["pt"] = Portuguese,
            ["pt-PT"] = Portuguese,
            ["pt-BR"] = Portuguese with { Tag = "pt-BR", GroupSeparator = ".", CurrencyPattern = "¤ n", Short = "dd/MM/yyyy", Medium = "d 'de' MMM 'de' yyyy" },
            ["sv"] = swedish,
            ["sv-SE"] = swedish,
            ["da"] = danish,
            ["da-DK"] = danish,
            ["nb"] = norwegian,
            ["nb-NO"] = norwegian,
            ["no"] = norwegian,
            ["fi"] = finnish,
            ["fi-FI"] = finnish,
            ["pl"] = polish,
            ["pl-PL"] = polish,
        };
        foreach (var british in new[] { "en-GB", "en-IE", "en-AU", "en-NZ", "en-ZA", "en-IN" })
            locales[british] = EnglishGb with { Tag = british };
        return locales;
    }
}
