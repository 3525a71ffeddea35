using Fluid;
using Fluid.Values;
using Nudge.Channels.Templates.Rendering;

namespace Nudge.Channels.Templates.Filters;

/// <summary>
/// The filters Nudge adds to standard Liquid: money in the recipient's currency and locale, dates in their time
/// zone and locale, and words that agree with a count.
/// </summary>
internal static class NudgeFilters
{
    /// <summary>Names of the filters added here, for the documentation and the checks.</summary>
    public static readonly IReadOnlyList<string> Names =
        ["money", "money_with_currency", "money_without_currency", "money_without_trailing_zeros", "local_date", "pluralize"];

    public static void AddTo(FilterCollection filters)
    {
        filters.AddFilter("money", (input, arguments, context) => FormatMoney(input, arguments, context, MoneyStyle.Symbol));
        filters.AddFilter("money_with_currency", (input, arguments, context) => FormatMoney(input, arguments, context, MoneyStyle.SymbolAndCode));
        filters.AddFilter("money_without_currency", (input, arguments, context) => FormatMoney(input, arguments, context, MoneyStyle.NumberOnly));
        filters.AddFilter("money_without_trailing_zeros", (input, arguments, context) => FormatMoney(input, arguments, context, MoneyStyle.TrimZeros));
        filters.AddFilter("local_date", LocalDate);
        filters.AddFilter("pluralize", Pluralize);
    }

    private enum MoneyStyle
    {
        Symbol,
        SymbolAndCode,
        NumberOnly,
        TrimZeros,
    }

    private static ValueTask<FluidValue> FormatMoney(FluidValue input, FilterArguments arguments, TemplateContext context, MoneyStyle style)
    {
        if (input.IsNil() || (input.Type == FluidValues.String && !decimal.TryParse(input.ToStringValue(), System.Globalization.NumberStyles.Number,
                System.Globalization.CultureInfo.InvariantCulture, out _)))
            return NilValue.Instance;

        var settings = RenderSettings.Of(context);
        var currency = arguments.Count > 0 && Money.IsCurrencyCode(arguments.At(0).ToStringValue())
            ? arguments.At(0).ToStringValue().ToUpperInvariant()
            : settings.Currency;
        var amount = input.ToNumberValue();
        var text = style switch
        {
            MoneyStyle.NumberOnly => Money.Number(amount, currency, settings.Locale),
            MoneyStyle.SymbolAndCode => Money.Format(amount, currency, settings.Locale) + " " + currency,
            MoneyStyle.TrimZeros => Money.Format(amount, currency, settings.Locale, trimZeros: true),
            _ => Money.Format(amount, currency, settings.Locale),
        };
        return new StringValue(text);
    }

    private static ValueTask<FluidValue> LocalDate(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        if (input.IsNil() || !input.TryGetDateTimeInput(context, out var instant))
            return NilValue.Instance;
        var settings = RenderSettings.Of(context);
        var style = arguments.Count > 0 && !arguments.At(0).IsNil() ? arguments.At(0).ToStringValue() : "medium";
        var zone = arguments.Count > 1 && !arguments.At(1).IsNil() ? LocalDates.Zone(arguments.At(1).ToStringValue()) : settings.Zone;
        return new StringValue(LocalDates.Format(instant, zone, settings.Locale, style));
    }

    private static ValueTask<FluidValue> Pluralize(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        var singular = arguments.At(0).ToStringValue();
        var plural = arguments.Count > 1 ? arguments.At(1).ToStringValue() : singular + "s";
        return new StringValue(input.ToNumberValue() == 1 ? singular : plural);
    }
}
