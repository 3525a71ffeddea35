using System.Text.Json;
using Nudge.Core.Coupons;

namespace Nudge.Core.Tests.Coupons;

public sealed class CouponPoolReaderTests
{
    private static (CouponPoolSettings? Settings, IReadOnlyList<Nudge.Core.Ingestion.FieldError> Errors) Read(string json) =>
        CouponPoolReader.Read(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void A_fixed_amount_pool_with_dates_and_days_reads_completely()
    {
        var (settings, errors) = Read("""
            {"name":"5 off","type":"fixed","amount":5,"currency":"eur","usageLimit":2,"lowThreshold":10,"connector":"con_1",
             "validity":{"from":"2026-01-01T00:00:00Z","until":"2026-12-31T23:59:59Z","days":30}}
            """);

        Assert.Empty(errors);
        Assert.Equal(new CouponPoolSettings("5 off", null, CouponType.Fixed, 5m, "EUR",
            new CouponValidity(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.Zero), 30),
            2, 10, "con_1"), settings);
    }

    [Theory]
    [InlineData("""{"name":"A","type":"percent"}""", "amount")]
    [InlineData("""{"name":"A","type":"percent","amount":120}""", "amount")]
    [InlineData("""{"name":"A","type":"fixed","amount":5}""", "currency")]
    [InlineData("""{"name":"A","type":"freeShipping","amount":5}""", "amount")]
    [InlineData("""{"name":"A","type":"bogo"}""", "type")]
    [InlineData("""{"name":"A","type":"freeShipping","validity":{"from":"2026-02-01","until":"2026-01-01"}}""", "validity.until")]
    [InlineData("""{"name":"A","type":"freeShipping","usageLimit":0}""", "usageLimit")]
    public void Each_mistake_names_its_field(string json, string field)
    {
        var (settings, errors) = Read(json);

        Assert.Null(settings);
        Assert.Equal(field, Assert.Single(errors).Field);
    }

    [Fact]
    public void The_earlier_end_wins_when_a_code_has_both_an_end_date_and_days()
    {
        var assigned = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(assigned.AddDays(7), new CouponValidity(null, assigned.AddDays(30), 7).ExpiresAt(assigned));
        Assert.Equal(assigned.AddDays(2), new CouponValidity(null, assigned.AddDays(2), 7).ExpiresAt(assigned));
        Assert.Null(CouponValidity.Unlimited.ExpiresAt(assigned));
    }
}
