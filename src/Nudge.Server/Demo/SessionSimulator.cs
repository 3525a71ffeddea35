using System.Globalization;
using System.Text.Json.Nodes;

namespace Nudge.Server.Demo;

/// <summary>
/// Plays one planned session: landing, browsing, and then an order, an abandoned cart or nothing.
/// Orders schedule their own later messages (cancellation, refund, review) with future timestamps.
/// </summary>
internal sealed class SessionSimulator
{
    private static readonly string[] _paymentMethods = ["card", "paypal", "klarna", "sepa_debit", "apple_pay"];
    private static readonly double[] _ratingWeights = DemoRandom.Cumulative([0.06, 0.07, 0.12, 0.30, 0.45]);
    private static readonly string[][] _reviews =
    [
        ["Broke after a week, sent it back.", "Very disappointed with the quality."],
        ["Not what I expected from the photos.", "Quality could be better for the price."],
        ["Okay, does the job.", "Average, nothing special."],
        ["Very good, slightly different colour than pictured.", "Good value for the price."],
        ["Love it, exactly as described!", "Excellent quality, would buy again.", "Fast delivery and a great product."],
    ];

    private readonly ProductPicker _picker;
    private readonly DateTimeOffset _now;
    private readonly Action<DateTimeOffset, JsonObject> _emit;
    private int _lastOrderNumber = 100_000;
    private int _lastReviewNumber;

    public SessionSimulator(ProductPicker picker, DateTimeOffset now, Action<DateTimeOffset, JsonObject> emit)
    {
        _picker = picker;
        _now = now;
        _emit = emit;
    }

    public void Run(Shopper shopper, SessionPlan plan)
    {
        var random = shopper.Random;
        var visit = new Visit(shopper, plan.Start, _emit);
        var viewed = new List<DemoProduct>();
        Land(visit, viewed);
        if (plan.Identify && shopper.Customer is { } customer)
        {
            // A new customer signs up; a known one is still signed in, and the shop re-sends their traits.
            if (!shopper.Identified)
            {
                visit.Wait(5, 60);
                visit.Page("Sign Up", "/account/register", "Create account");
                visit.Wait(20, 90);
            }
            else
            {
                visit.Wait(0.2, 2);
            }

            visit.Identify(customer);
        }

        var views = plan.Purchase ? 1 + random.Geometric(0.6, 3) : 1 + random.Geometric(0.5, 7);
        Browse(visit, viewed, views);
        if (plan.Purchase)
        {
            Order(visit, viewed);
        }
        else
        {
            MaybeAbandonCart(visit, viewed);
        }
    }

    private void Land(Visit visit, List<DemoProduct> viewed)
    {
        var shopper = visit.Shopper;
        var random = shopper.Random;
        var category = _picker.Category(random, shopper.Favourite);
        var referrer = "";
        DemoCampaign? campaign = null;
        var source = random.NextDouble();
        if (shopper.Identified && source < 0.2)
        {
            campaign = new DemoCampaign("newsletter", "email", $"newsletter-{visit.Now:yyyy-MM}");
        }
        else if (source < 0.5)
        {
            referrer = "https://www.google.com/";
        }
        else if (source < 0.62)
        {
            referrer = "https://l.instagram.com/";
            campaign = new DemoCampaign("instagram", "paid_social", $"{category.Name}-{visit.Now:yyyy-MM}");
        }
        else if (source < 0.68)
        {
            referrer = "https://www.bing.com/";
        }

        var entry = random.NextDouble();
        if (campaign is not null || entry < 0.3)
        {
            ViewProduct(visit, viewed, _picker.Popular(random, category), referrer, campaign);
        }
        else if (entry < 0.65)
        {
            ViewCategory(visit, category, referrer);
        }
        else
        {
            visit.Page("Home", "/", "Demo Shop", referrer: referrer);
        }
    }

    private void Browse(Visit visit, List<DemoProduct> viewed, int views)
    {
        var shopper = visit.Shopper;
        var random = shopper.Random;
        for (var i = 0; i < views; i++)
        {
            visit.Wait(15, 200);
            var step = random.NextDouble();
            DemoProduct product;
            if (step < 0.12)
            {
                product = Search(visit);
            }
            else if (step < 0.27)
            {
                var category = _picker.Category(random, shopper.Favourite);
                ViewCategory(visit, category);
                visit.Wait(5, 60);
                product = _picker.Popular(random, category);
            }
            else
            {
                var category = viewed.Count > 0 && random.Chance(0.6)
                    ? DemoCategories.All.First(c => c.Name == viewed[^1].Category)
                    : _picker.Category(random, shopper.Favourite);
                product = _picker.Popular(random, category);
            }

            ViewProduct(visit, viewed, product);
            if (shopper.Identified && shopper.Customer is { } customer && random.Chance(0.04))
            {
                visit.Wait(3, 20);
                var wishlist = SegmentJson.Product(product);
                wishlist["wishlist_id"] = $"wishlist-{customer.UserId}";
                wishlist["wishlist_name"] = "My wishlist";
                wishlist["quantity"] = 1;
                visit.Track("Product Added to Wishlist", wishlist);
            }
        }
    }

    private DemoProduct Search(Visit visit)
    {
        var random = visit.Shopper.Random;
        var category = _picker.Category(random, visit.Shopper.Favourite);
        var target = _picker.Popular(random, category);
        var query = category.Nouns.Select(n => n.Noun).FirstOrDefault(n => target.Name.Contains(n, StringComparison.Ordinal))
            ?? category.Title;
        query = query.ToLowerInvariant();
        var results = _picker.Search(query);
        visit.Page("Search Results", "/search", $"Search: {query}", search: $"?q={Uri.EscapeDataString(query)}");
        visit.Track("Products Searched", new JsonObject { ["query"] = query });
        if (results.Count == 0)
        {
            return target;
        }

        visit.Track("Product List Viewed", new JsonObject
        {
            ["list_id"] = "search-results",
            ["category"] = category.Name,
            ["products"] = SegmentJson.Listed(results),
        });
        visit.Wait(5, 40);
        return results.Contains(target) ? target : results[random.Next(results.Count)];
    }

    private void ViewCategory(Visit visit, DemoCategory category, string? referrer = null)
    {
        visit.Page("Category", $"/collections/{category.Name}", $"{category.Title} | Demo Shop", referrer: referrer);
        visit.Track("Product List Viewed", new JsonObject
        {
            ["list_id"] = $"collection-{category.Name}",
            ["category"] = category.Name,
            ["products"] = SegmentJson.Listed(_picker.InCategory(category).Take(8)),
        });
    }

    private static void ViewProduct(Visit visit, List<DemoProduct> viewed, DemoProduct product, string? referrer = null, DemoCampaign? campaign = null)
    {
        visit.Page("Product", product.Url.AbsolutePath, $"{product.Name} | Demo Shop", referrer: referrer, campaign: campaign);
        var properties = SegmentJson.Product(product);
        properties["currency"] = SegmentJson.Currency;
        visit.Track("Product Viewed", properties);
        viewed.Add(product);
    }

    private void Order(Visit visit, List<DemoProduct> viewed)
    {
        var shopper = visit.Shopper;
        var random = shopper.Random;
        var lines = new List<CartLine>();
        if (shopper.Staple is { } staple && random.Chance(0.85))
        {
            if (!viewed.Contains(staple))
            {
                visit.Wait(10, 60);
                ViewProduct(visit, viewed, staple);
            }

            lines.Add(new CartLine(staple, random.Chance(0.3) ? 2 : 1));
        }

        var wanted = lines.Count == 0 ? 1 + (random.Chance(0.3) ? 1 : 0) : (random.Chance(0.25) ? 1 : 0);
        foreach (var product in viewed.AsEnumerable().Reverse().Distinct().Where(p => lines.TrueForAll(l => l.Product != p)).Take(wanted))
        {
            lines.Add(new CartLine(product, product.Category == "coffee" && random.Chance(0.3) ? 2 : 1));
        }

        var cartId = random.NextGuid().ToString("D");
        foreach (var line in lines)
        {
            visit.Wait(5, 40);
            visit.Track("Product Added", SegmentJson.Line(line, cartId));
        }

        CartLine? removed = null;
        if (random.Chance(0.1))
        {
            var extra = _picker.Popular(random, _picker.Category(random, shopper.Favourite));
            if (lines.TrueForAll(l => l.Product != extra))
            {
                removed = new CartLine(extra, 1);
                visit.Wait(5, 40);
                visit.Track("Product Added", SegmentJson.Line(removed.Value, cartId));
            }
        }

        visit.Wait(10, 60);
        ViewCart(visit, cartId, removed is { } r ? [.. lines, r] : lines);
        if (removed is { } line2)
        {
            visit.Wait(5, 30);
            visit.Track("Product Removed", SegmentJson.Line(line2, cartId));
        }

        var coupon = ChooseCoupon(shopper);
        var totals = OrderTotals.For(lines, coupon, shopper.Place.VatRate);
        var orderId = NextOrderId();
        var checkoutId = random.NextGuid().ToString("D");
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

        EnterPayment(visit, orderId, checkoutId);
        visit.Wait(5, 40);
        visit.Page("Order Confirmation", "/checkout/thank-you", "Thank you for your order");
        visit.Track("Order Completed", SegmentJson.Order(orderId, lines, totals, coupon, checkoutId));
        shopper.OrdersPlaced++;
        FollowUp(shopper, visit.Now, orderId, lines, totals, coupon);
    }

    private void MaybeAbandonCart(Visit visit, List<DemoProduct> viewed)
    {
        var shopper = visit.Shopper;
        var random = shopper.Random;
        var chance = shopper.Persona switch
        {
            ShopperPersona.Visitor => 0.12,
            ShopperPersona.Browser => 0.3,
            _ => 0.2,
        };
        if (viewed.Count == 0 || !random.Chance(chance))
        {
            return;
        }

        var cartId = random.NextGuid().ToString("D");
        var lines = viewed.AsEnumerable().Reverse().Distinct().Take(random.Chance(0.25) ? 2 : 1)
            .Select(p => new CartLine(p, 1)).ToList();
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

    /// <summary>Cancellations within hours, refunds within weeks, reviews a week or more after delivery.</summary>
    private void FollowUp(Shopper shopper, DateTimeOffset completedAt, string orderId, IReadOnlyList<CartLine> lines, OrderTotals totals, DemoCoupon? coupon)
    {
        var random = shopper.Random;
        var outcome = random.NextDouble();
        if (outcome < 0.02)
        {
            var properties = SegmentJson.Order(orderId, lines, totals, coupon);
            Server(shopper, completedAt.AddMinutes(random.Between(10, 360)), "Order Cancelled", properties);
            return;
        }

        if (outcome < 0.06)
        {
            var refund = new JsonObject { ["order_id"] = orderId };
            if (lines.Count > 1 && random.Chance(0.5))
            {
                var line = lines[random.Next(lines.Count)];
                var amount = OrderTotals.Money(line.Product.Price * line.Quantity * (1 - (coupon?.Percent ?? 0m)) * (1 + shopper.Place.VatRate));
                refund["total"] = amount;
                refund["currency"] = SegmentJson.Currency;
                refund["products"] = SegmentJson.Lines([line]);
            }
            else
            {
                refund["total"] = totals.Total;
                refund["currency"] = SegmentJson.Currency;
            }

            Server(shopper, completedAt.AddDays(random.Between(3, 30)), "Order Refunded", refund);
        }

        if (random.Chance(0.15))
        {
            var at = ActivityHours.Shape(random, completedAt.AddDays(random.Between(7, 25)), shopper.Place, completedAt.AddDays(5), _now.AddHours(-1));
            if (at > _now.AddHours(-1))
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
    }

    private void Server(Shopper shopper, DateTimeOffset at, string @event, JsonObject properties)
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

    private string NextOrderId() => (++_lastOrderNumber).ToString(CultureInfo.InvariantCulture);
}
