using System.Text.Json.Nodes;

namespace Nudge.Server.Demo;

/// <summary>
/// What happens after an order: a few are cancelled within hours or refunded within weeks (sent by the
/// shop's back end), and some customers come back from a review-request e-mail to rate a product.
/// These messages carry future timestamps; the timeline holds them until their time comes.
/// </summary>
internal sealed class OrderFollowUps
{
    private static readonly double[] _ratingWeights = DemoRandom.Cumulative([0.06, 0.07, 0.12, 0.30, 0.45]);
    private static readonly string[][] _reviews =
    [
        ["Broke after a week, sent it back.", "Very disappointed with the quality."],
        ["Not what I expected from the photos.", "Quality could be better for the price."],
        ["Okay, does the job.", "Average, nothing special."],
        ["Very good, slightly different colour than pictured.", "Good value for the price."],
        ["Love it, exactly as described!", "Excellent quality, would buy again.", "Fast delivery and a great product."],
    ];

    private readonly DateTimeOffset _now;
    private readonly Action<DateTimeOffset, JsonObject> _emit;
    private int _lastReviewNumber;

    public OrderFollowUps(DateTimeOffset now, Action<DateTimeOffset, JsonObject> emit)
    {
        _now = now;
        _emit = emit;
    }

    public void Schedule(Shopper shopper, DateTimeOffset completedAt, string orderId, IReadOnlyList<CartLine> lines, OrderTotals totals, DemoCoupon? coupon)
    {
        var random = shopper.Random;
        var outcome = random.NextDouble();
        if (outcome < 0.02)
        {
            var properties = SegmentJson.Order(orderId, lines, totals, coupon);
            FromServer(shopper, completedAt.AddMinutes(random.Between(10, 360)), "Order Cancelled", properties);
            return;
        }

        if (outcome < 0.06)
        {
            FromServer(shopper, completedAt.AddDays(random.Between(3, 30)), "Order Refunded", Refund(shopper, orderId, lines, totals, coupon));
        }

        if (random.Chance(0.15))
        {
            Review(shopper, completedAt, lines);
        }
    }

    /// <summary>Half the refunds of multi-item orders return one item; the rest return everything.</summary>
    private static JsonObject Refund(Shopper shopper, string orderId, IReadOnlyList<CartLine> lines, OrderTotals totals, DemoCoupon? coupon)
    {
        var random = shopper.Random;
        var refund = new JsonObject { ["order_id"] = orderId };
        if (lines.Count > 1 && random.Chance(0.5))
        {
            var line = lines[random.Next(lines.Count)];
            var net = line.Product.Price * line.Quantity * (1 - (coupon?.Percent ?? 0m));
            refund["total"] = OrderTotals.Money(net * (1 + shopper.Place.VatRate));
            refund["currency"] = SegmentJson.Currency;
            refund["products"] = SegmentJson.Lines([line]);
        }
        else
        {
            refund["total"] = totals.Total;
            refund["currency"] = SegmentJson.Currency;
        }

        return refund;
    }

    private void Review(Shopper shopper, DateTimeOffset completedAt, IReadOnlyList<CartLine> lines)
    {
        var random = shopper.Random;
        var latest = _now.AddHours(-1);
        var at = ActivityHours.Shape(random, completedAt.AddDays(random.Between(7, 25)), shopper.Place, completedAt.AddDays(5), latest);
        if (at > latest)
        {
            return;
        }

        var product = lines[random.Next(lines.Count)].Product;
        var rating = random.PickWeighted(_ratingWeights) + 1;
        var visit = new Visit(shopper, at, _emit);
        visit.Page("Write a Review", $"{product.Url.AbsolutePath}/review", $"Review {product.Name}", campaign: new DemoCampaign("transactional", "email", "review-request"));
        visit.Wait(40, 240);
        visit.Track("Product Reviewed", new JsonObject
        {
            ["product_id"] = product.Id,
            ["review_id"] = $"rev-{++_lastReviewNumber:D6}",
            ["review_body"] = random.Pick(_reviews[rating - 1]),
            ["rating"] = rating,
        });
    }

    private void FromServer(Shopper shopper, DateTimeOffset at, string @event, JsonObject properties)
    {
        at = ActivityHours.Truncate(at);
        if (at > _now)
        {
            return;
        }

        var message = SegmentJson.Envelope("track", shopper, at, fromServer: true);
        message["event"] = @event;
        message["properties"] = properties;
        message["context"] = SegmentJson.ServerContext(shopper);
        _emit(at, message);
    }
}
