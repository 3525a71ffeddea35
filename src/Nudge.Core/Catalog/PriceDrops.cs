namespace Nudge.Core.Catalog;

/// <summary>A price as it was in effect from <see cref="At"/> on.</summary>
/// <param name="At">When the price took effect.</param>
/// <param name="Price">The price (null: none).</param>
/// <param name="Currency">Its currency.</param>
public sealed record PriceObservation(DateTimeOffset At, decimal? Price, string? Currency);

/// <summary>A price drop worth telling people about.</summary>
/// <param name="ReferencePrice">The lowest price of the reference period.</param>
/// <param name="NewPrice">The price now.</param>
/// <param name="Currency">The currency of both.</param>
/// <param name="Amount">Reference minus new price.</param>
/// <param name="Percent">The drop in percent of the reference price, rounded to one decimal.</param>
public sealed record PriceDrop(decimal ReferencePrice, decimal NewPrice, string? Currency, decimal Amount, decimal Percent);

/// <summary>
/// Decides price drops the way the EU Omnibus directive defines a price reduction: against the lowest price of the
/// period before it, not against the price just before. A price raised and lowered back is no drop, and a drop is
/// told once: after it, the lowered price is part of the reference period.
/// </summary>
public static class PriceDrops
{
    /// <summary>
    /// The drop the change to <paramref name="now"/> makes, or null. <paramref name="before"/> is the price history of
    /// the same product or variant before the change, oldest first; only the prices in effect at some moment of the
    /// <see cref="ProductSignalSettings.ReferenceDays"/> before the change count (the one in effect at the period's start
    /// included), and only those in the new price's currency.
    /// </summary>
    public static PriceDrop? Detect(IReadOnlyList<PriceObservation> before, PriceObservation now, ProductSignalSettings settings)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(now);
        ArgumentNullException.ThrowIfNull(settings);
        if (now.Price is not { } price)
            return null;

        var start = now.At.AddDays(-settings.ReferenceDays);
        var inEffectAtStart = before.LastOrDefault(o => o.At <= start);
        var period = before.Where(o => o.At > start && o.At <= now.At).Prepend(inEffectAtStart).OfType<PriceObservation>();
        var prices = period
            .Where(o => o.Price is not null && string.Equals(o.Currency, now.Currency, StringComparison.Ordinal))
            .Select(o => o.Price!.Value)
            .ToList();
        if (prices.Count == 0)
            return null;

        var reference = prices.Min();
        if (reference <= 0 || price >= reference)
            return null;
        var amount = reference - price;
        var percent = Math.Round(amount * 100m / reference, 1, MidpointRounding.AwayFromZero);
        var enough = (settings.MinDropPercent is { } minPercent && amount * 100m >= minPercent * reference) ||
                     (settings.MinDropAmount is { } minAmount && amount >= minAmount);
        return enough ? new PriceDrop(reference, price, now.Currency, amount, percent) : null;
    }
}
