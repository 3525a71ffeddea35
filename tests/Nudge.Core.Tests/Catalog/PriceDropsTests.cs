using Nudge.Core.Catalog;

namespace Nudge.Core.Tests.Catalog;

public sealed class PriceDropsTests
{
    private static readonly DateTimeOffset Day0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static PriceObservation At(int day, decimal price, string currency = "EUR") => new(Day0.AddDays(day), price, currency);

    private static PriceDrop? Detect(ProductSignalSettings settings, PriceObservation now, params PriceObservation[] before) =>
        PriceDrops.Detect(before, now, settings);

    [Fact]
    public void A_drop_is_measured_against_the_lowest_price_of_the_reference_period()
    {
        var drop = Detect(ProductSignalSettings.Default, At(40, 72m), At(0, 100m), At(20, 90m), At(30, 100m));

        Assert.Equal(new PriceDrop(90m, 72m, "EUR", 18m, 20.0m), drop);
    }

    [Fact]
    public void The_price_in_effect_when_the_period_starts_counts_and_older_ones_do_not()
    {
        // 50 ended before the 30-day period; 80 was in effect when it began.
        var drop = Detect(ProductSignalSettings.Default, At(40, 70m), At(0, 50m), At(5, 80m), At(35, 100m));

        Assert.Equal(80m, drop!.ReferencePrice);
    }

    [Fact]
    public void Lowering_back_a_raised_price_is_no_drop()
    {
        Assert.Null(Detect(ProductSignalSettings.Default, At(12, 80m), At(0, 100m), At(10, 80m), At(11, 100m)));
    }

    [Fact]
    public void A_drop_smaller_than_the_threshold_is_ignored_and_either_threshold_is_enough()
    {
        var percentOnly = ProductSignalSettings.Default;
        var amountToo = percentOnly with { MinDropAmount = 5m };

        Assert.Null(Detect(percentOnly, At(1, 95m), At(0, 100m)));
        Assert.NotNull(Detect(amountToo, At(1, 95m), At(0, 100m)));
        Assert.NotNull(Detect(percentOnly, At(1, 90m), At(0, 100m)));
    }

    [Fact]
    public void Prices_in_another_currency_and_a_first_price_have_no_reference()
    {
        Assert.Null(Detect(ProductSignalSettings.Default, At(1, 10m, "USD"), At(0, 100m, "EUR")));
        Assert.Null(Detect(ProductSignalSettings.Default, At(0, 10m)));
    }

    [Theory]
    [InlineData(null, 3, int.MaxValue)]
    [InlineData(0, 3, 3)]
    [InlineData(2, 3, 6)]
    [InlineData(10, 1, 10)]
    public void A_wave_tells_at_most_factor_times_the_units_in_stock(int? quantity, int factor, int size) =>
        Assert.Equal(size, BackInStockWaves.Size(quantity, factor));

    [Fact]
    public void Settings_out_of_range_are_named()
    {
        var errors = new List<Nudge.Core.Ingestion.FieldError>();

        new ProductSignalSettings(MinDropPercent: null, MinDropAmount: null, ReferenceDays: 0, WaveFactor: 0).Validate(errors);

        Assert.Equal(["minDropPercent", "referenceDays", "waveFactor"], errors.Select(e => e.Field));
    }
}
