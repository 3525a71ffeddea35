using Fluid;
using NodaTime;
using Nudge.Channels.Templates.Filters;

namespace Nudge.Channels.Templates.Rendering;

/// <summary>The reader's locale, currency and time zone, which the money and date filters write for.</summary>
/// <param name="Locale">Language and country of the recipient.</param>
/// <param name="Currency">ISO 4217 code used when <c>money</c> is not told another one.</param>
/// <param name="Zone">The recipient's time zone.</param>
public sealed record RenderSettings(TemplateLocale Locale, string Currency, DateTimeZone Zone)
{
    /// <summary>American English, US dollars, UTC: the settings when nothing is known about the reader.</summary>
    public static readonly RenderSettings Default = new(TemplateLocales.EnglishUs, "USD", DateTimeZone.Utc);

    /// <summary>The settings of the render <paramref name="context"/> belongs to.</summary>
    public static RenderSettings Of(TemplateContext context) => context is NudgeTemplateContext nudge ? nudge.Settings : Default;
}
