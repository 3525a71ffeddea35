using Nudge.Core.Ingestion;

namespace Nudge.Core.Catalog;

/// <summary>
/// How a workspace's product signals behave (ADR 0015). A price drop counts when the new price is below the reference
/// price (the lowest price of the <see cref="ReferenceDays"/> before the change) by at least <see cref="MinDropPercent"/>
/// percent or at least <see cref="MinDropAmount"/> (whichever is set; with both set, either is enough).
/// </summary>
/// <param name="PriceDropEnabled">False: no <c>Price Dropped</c> events.</param>
/// <param name="MinDropPercent">Smallest drop in percent of the reference price (null: not used).</param>
/// <param name="MinDropAmount">Smallest drop in the product's currency (null: not used).</param>
/// <param name="ReferenceDays">The reference price is the lowest price in effect during this many days before the change.</param>
/// <param name="AudienceDays">People who viewed or carted the product within this many days are told.</param>
/// <param name="BackInStockEnabled">False: no <c>Back In Stock</c> events.</param>
/// <param name="WaveFactor">A back-in-stock wave tells at most this many people per unit in stock.</param>
/// <param name="WaveIntervalMinutes">Minutes between waves while people are left to tell and it is still in stock.</param>
public sealed record ProductSignalSettings(
    bool PriceDropEnabled = true,
    decimal? MinDropPercent = 10m,
    decimal? MinDropAmount = null,
    int ReferenceDays = 30,
    int AudienceDays = 30,
    bool BackInStockEnabled = true,
    int WaveFactor = 3,
    int WaveIntervalMinutes = 60)
{
    /// <summary>The settings of a workspace that set none.</summary>
    public static ProductSignalSettings Default { get; } = new();

    /// <summary>The time between waves.</summary>
    public TimeSpan WaveInterval => TimeSpan.FromMinutes(WaveIntervalMinutes);

    /// <summary>Adds an error for every setting out of range.</summary>
    public void Validate(List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (MinDropPercent is <= 0 or >= 100)
            errors.Add(new("minDropPercent", "must be more than 0 and less than 100"));
        if (MinDropAmount is <= 0)
            errors.Add(new("minDropAmount", "must be more than 0"));
        if (PriceDropEnabled && MinDropPercent is null && MinDropAmount is null)
            errors.Add(new("minDropPercent", "set minDropPercent or minDropAmount (or both) while price drops are enabled"));
        if (ReferenceDays is < 1 or > 365)
            errors.Add(new("referenceDays", "must be between 1 and 365"));
        if (AudienceDays is < 1 or > 365)
            errors.Add(new("audienceDays", "must be between 1 and 365"));
        if (WaveFactor is < 1 or > 1000)
            errors.Add(new("waveFactor", "must be between 1 and 1000"));
        if (WaveIntervalMinutes is < 1 or > 10080)
            errors.Add(new("waveIntervalMinutes", "must be between 1 and 10080 (a week)"));
    }
}
