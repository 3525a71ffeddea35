using System.Text.Json.Nodes;

namespace Nudge.Server.Demo;

/// <summary>
/// A deterministic demo shop: a product catalog, its customers and six months of their Segment
/// tracking calls, for demos, screenshots and load tests. The same seed and <c>now</c> always give
/// the same data, on any machine.
/// </summary>
public sealed class DemoShop
{
    private readonly int _seed;

    private DemoShop(int seed, DateTimeOffset now, IReadOnlyList<DemoProduct> products, IReadOnlyList<DemoCustomer> customers)
    {
        _seed = seed;
        Now = now;
        Since = now.AddMonths(-6);
        Products = products;
        Customers = customers;
    }

    /// <summary>The end of the generated history (UTC, whole milliseconds); no message is later.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The start of the generated history, six months before <see cref="Now"/>; no message is earlier.</summary>
    public DateTimeOffset Since { get; }

    /// <summary>The catalog, <c>prod-001</c> onwards, grouped by category.</summary>
    public IReadOnlyList<DemoProduct> Products { get; }

    /// <summary>The registered customers, <c>cust-00001</c> onwards. About 45% signed up within the generated six months.</summary>
    public IReadOnlyList<DemoCustomer> Customers { get; }

    /// <summary>Builds the catalog and customer list; messages are produced lazily by <see cref="Messages"/>.</summary>
    /// <param name="seed">Any number; the same seed gives the same shop.</param>
    /// <param name="now">The moment the history ends.</param>
    /// <param name="customers">How many registered customers; two fifths as many anonymous visitors are added to the traffic.</param>
    /// <param name="products">How many catalog products (at least one).</param>
    public static DemoShop Generate(int seed, DateTimeOffset now, int customers = 5000, int products = 200)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(customers);
        ArgumentOutOfRangeException.ThrowIfLessThan(products, 1);

        var end = ActivityHours.Truncate(now);
        var since = end.AddMonths(-6);
        var catalog = DemoCatalog.Build(new DemoRandom(seed, 1), products);
        var people = DemoPeople.Build(new DemoRandom(seed, 2), customers, since, end);
        return new DemoShop(seed, end, catalog, people);
    }

    /// <summary>
    /// Segment tracking-API messages (<c>page</c>, <c>identify</c> and e-commerce spec v2 <c>track</c> calls)
    /// for six months before <see cref="Now"/>, in ascending timestamp order, ready to post to a
    /// <c>/v1/batch</c> endpoint.
    /// </summary>
    /// <remarks>
    /// Customers browse anonymously and identify when they sign up or sign in; a third of them only browse,
    /// many leave carts and checkouts behind, about a quarter order repeatedly (consumables on a
    /// replenishment rhythm) and about a third stop visiting two to six months before <see cref="Now"/>.
    /// Anonymous visitors who never sign in add background traffic. Messages are generated as they are
    /// enumerated; each enumeration starts afresh and yields the same sequence.
    /// </remarks>
    public IEnumerable<JsonObject> Messages() => DemoTimeline.Messages(_seed, this);
}
