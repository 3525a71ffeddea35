using System.Text.Json.Nodes;

namespace Nudge.Server.Demo;

/// <summary>
/// Plays one planned session: where the visitor lands, signing up or in, browsing, and then what
/// <see cref="CheckoutSimulator"/> makes of it: an order, an abandoned cart or nothing.
/// </summary>
internal sealed class SessionSimulator
{
    private readonly ProductPicker _picker;
    private readonly CheckoutSimulator _checkout;
    private readonly Action<DateTimeOffset, JsonObject> _emit;

    public SessionSimulator(ProductPicker picker, DateTimeOffset now, Action<DateTimeOffset, JsonObject> emit)
    {
        _picker = picker;
        _emit = emit;
        _checkout = new CheckoutSimulator(picker, new OrderFollowUps(now, emit));
    }

    public void Run(Shopper shopper, SessionPlan plan)
    {
        var random = shopper.Random;
        var visit = new Visit(shopper, plan.Start, _emit);
        Land(visit);
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

        Browse(visit, plan.Purchase ? 1 + random.Geometric(0.6, 3) : 1 + random.Geometric(0.5, 7));
        if (plan.Purchase)
        {
            _checkout.Order(visit);
        }
        else
        {
            _checkout.MaybeAbandonCart(visit);
        }
    }

    private void Land(Visit visit)
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
            visit.ViewProduct(_picker.Popular(random, category), referrer, campaign);
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

    private void Browse(Visit visit, int views)
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
                // Mostly something related to the last product, as "you may also like" suggests.
                var category = visit.Viewed.Count > 0 && random.Chance(0.6)
                    ? _picker.CategoryOf(visit.Viewed[^1])
                    : _picker.Category(random, shopper.Favourite);
                product = _picker.Popular(random, category);
            }

            visit.ViewProduct(product);
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

    /// <summary>Searches for the kind of product the visitor wants and returns the one they open.</summary>
    private DemoProduct Search(Visit visit)
    {
        var random = visit.Shopper.Random;
        var category = _picker.Category(random, visit.Shopper.Favourite);
        var target = _picker.Popular(random, category);
        var query = (category.Nouns.Select(n => n.Noun).FirstOrDefault(n => target.Name.Contains(n, StringComparison.Ordinal))
            ?? category.Title).ToLowerInvariant();
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
}
