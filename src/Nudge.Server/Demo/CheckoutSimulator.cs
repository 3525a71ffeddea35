using System.Globalization;
using System.Text.Json.Nodes;

namespace Nudge.Server.Demo;

/// <summary>
/// The end of a session: the cart, checkout and order of a purchase session, or the cart left
/// behind at some step of a browsing session. Order numbers run in time order across all shoppers.
/// </summary>
internal sealed class CheckoutSimulator
{
    private static readonly string[] _paymentMethods = ["card", "paypal", "klarna", "sepa_debit", "apple_pay"];

    private readonly ProductPicker _picker;
    private readonly OrderFollowUps _followUps;
    private int _lastOrderNumber = 100_000;

    public CheckoutSimulator(ProductPicker picker, OrderFollowUps followUps)
    {
        _picker = picker;
        _followUps = followUps;
    }

    public void Order(Visit visit)
    {
        var shopper = visit.Shopper;
        var random = shopper.Random;
        var lines = new List<CartLine>();
        if (shopper.Staple is { } staple && random.Chance(0.85))
        {
            if (!visit.Viewed.Contains(staple))
            {
                visit.Wait(10, 60);
                visit.ViewProduct(staple);
            }

            lines.Add(new CartLine(staple, random.Chance(0.3) ? 2 : 1));
        }

        var wanted = lines.Count == 0 ? 1 + (random.Chance(0.3) ? 1 : 0) : (random.Chance(0.25) ? 1 : 0);
        foreach (var product in RecentlyViewed(visit).Where(p => lines.TrueForAll(l => l.Product != p)).Take(wanted))
        {
            lines.Add(new CartLine(product, product.Category == "coffee" && random.Chance(0.3) ? 2 : 1));
        }

        var cartId = random.NextGuid().ToString("D");
        foreach (var line in lines)
        {
            visit.Wait(5, 40);
            visit.Track("Product Added", SegmentJson.Line(line, cartId));
        }

        // Now and then something goes into the cart and out again before checkout.
        CartLine? removed = null;
        var extra = _picker.Popular(random, _picker.Category(random, shopper.Favourite));
        if (random.Chance(0.1) && lines.TrueForAll(l => l.Product != extra))
        {
            removed = new CartLine(extra, 1);
            visit.Wait(5, 40);
            visit.Track("Product Added", SegmentJson.Line(removed.Value, cartId));
        }

        visit.Wait(10, 60);
        ViewCart(visit, cartId, removed is { } shown ? [.. lines, shown] : lines);
        if (removed is { } line2)
        {
            visit.Wait(5, 30);
            visit.Track("Product Removed", SegmentJson.Line(line2, cartId));
        }

        var coupon = ChooseCoupon(shopper);
        var totals = OrderTotals.For(lines, coupon, shopper.Place.VatRate);
        var orderId = NextOrderId();
        StartCheckout(visit, orderId, lines, totals, coupon);
        if (coupon is not null)
        {
            visit.Wait(5, 30);
            visit.Track("Coupon Applied", new JsonObject
            {
                ["order_id"] = orderId,
                ["cart_id"] = cartId,
                ["coupon_id"] = coupon.Code,
                ["coupon_name"] = coupon.Name,
                ["discount"] = totals.Discount,
            });
        }

        var checkoutId = random.NextGuid().ToString("D");
        EnterPayment(visit, orderId, checkoutId);
        visit.Wait(5, 40);
        visit.Page("Order Confirmation", "/checkout/thank-you", "Thank you for your order");
        visit.Track("Order Completed", SegmentJson.Order(orderId, lines, totals, coupon, checkoutId));
        shopper.OrdersPlaced++;
        _followUps.Schedule(shopper, visit.Now, orderId, lines, totals, coupon);
    }

    /// <summary>Some browsing sessions fill a cart and stop at the cart, at checkout or at payment.</summary>
    public void MaybeAbandonCart(Visit visit)
    {
        var shopper = visit.Shopper;
        var random = shopper.Random;
        var chance = shopper.Persona switch
        {
            ShopperPersona.Visitor => 0.12,
            ShopperPersona.Browser => 0.3,
            _ => 0.2,
        };
        if (visit.Viewed.Count == 0 || !random.Chance(chance))
        {
            return;
        }

        var cartId = random.NextGuid().ToString("D");
        var lines = RecentlyViewed(visit).Take(random.Chance(0.25) ? 2 : 1).Select(p => new CartLine(p, 1)).ToList();
        foreach (var line in lines)
        {
            visit.Wait(5, 40);
            visit.Track("Product Added", SegmentJson.Line(line, cartId));
        }

        if (random.Chance(0.12))
        {
            visit.Wait(5, 60);
            visit.Track("Product Removed", SegmentJson.Line(lines[^1], cartId));
            lines.RemoveAt(lines.Count - 1);
            if (lines.Count == 0)
            {
                return;
            }
        }

        var stage = random.NextDouble();
        if (stage < 0.45)
        {
            if (random.Chance(0.5))
            {
                visit.Wait(10, 60);
                ViewCart(visit, cartId, lines);
            }

            return;
        }

        visit.Wait(10, 60);
        ViewCart(visit, cartId, lines);
        var orderId = NextOrderId();
        StartCheckout(visit, orderId, lines, OrderTotals.For(lines, null, shopper.Place.VatRate), null);
        if (stage >= 0.8 && shopper.Identified)
        {
            EnterPayment(visit, orderId, random.NextGuid().ToString("D"));
        }
    }

    private static IEnumerable<DemoProduct> RecentlyViewed(Visit visit) => visit.Viewed.Reverse().Distinct();

    private static void ViewCart(Visit visit, string cartId, IReadOnlyList<CartLine> lines)
    {
        visit.Page("Cart", "/cart", "Your cart");
        visit.Track("Cart Viewed", new JsonObject { ["cart_id"] = cartId, ["products"] = SegmentJson.Lines(lines) });
    }

    private static void StartCheckout(Visit visit, string orderId, IReadOnlyList<CartLine> lines, OrderTotals totals, DemoCoupon? coupon)
    {
        visit.Wait(20, 90);
        visit.Page("Checkout", "/checkout", "Checkout");
        var properties = SegmentJson.Order(orderId, lines, totals, coupon);
        properties["value"] = totals.Subtotal;
        visit.Track("Checkout Started", properties);
    }

    private static void EnterPayment(Visit visit, string orderId, string checkoutId)
    {
        var random = visit.Shopper.Random;
        visit.Wait(30, 180);
        visit.Track("Payment Info Entered", new JsonObject
        {
            ["checkout_id"] = checkoutId,
            ["order_id"] = orderId,
            ["step"] = 2,
            ["shipping_method"] = random.Chance(0.85) ? "standard" : "express",
            ["payment_method"] = random.Pick(_paymentMethods),
        });
    }

    private static DemoCoupon? ChooseCoupon(Shopper shopper)
    {
        var random = shopper.Random;
        return shopper.OrdersPlaced switch
        {
            0 when random.Chance(0.3) => DemoCoupon.Welcome,
            >= 2 when random.Chance(0.15) => DemoCoupon.Loyalty,
            _ when random.Chance(0.07) => DemoCoupon.Season,
            _ => null,
        };
    }

    private string NextOrderId() => (++_lastOrderNumber).ToString(CultureInfo.InvariantCulture);
}
