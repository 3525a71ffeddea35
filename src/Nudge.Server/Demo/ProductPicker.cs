namespace Nudge.Server.Demo;

/// <summary>
/// Chooses what shoppers look at. Within a category a few products get most of the attention
/// (Zipf-like), as in real shops, so "popular products" and "bought together" have something to show.
/// </summary>
internal sealed class ProductPicker
{
    private readonly Dictionary<string, DemoProduct[]> _byCategory;
    private readonly Dictionary<string, double[]> _popularity;
    private readonly DemoCategory[] _categories;
    private readonly double[] _categoryWeights;
    private readonly IReadOnlyList<DemoProduct> _products;

    public ProductPicker(IReadOnlyList<DemoProduct> products)
    {
        _products = products;
        _byCategory = products.GroupBy(p => p.Category, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _popularity = _byCategory.ToDictionary(
            pair => pair.Key,
            pair => DemoRandom.Cumulative(Enumerable.Range(1, pair.Value.Length).Select(rank => 1.0 / (rank + 1))),
            StringComparer.Ordinal);
        _categories = [.. DemoCategories.All.Where(c => _byCategory.ContainsKey(c.Name))];
        _categoryWeights = DemoRandom.Cumulative(_categories.Select(c => c.Share));
    }

    /// <summary>A category, by overall traffic share.</summary>
    public DemoCategory Category(DemoRandom random) => _categories[random.PickWeighted(_categoryWeights)];

    /// <summary>Usually the shopper's favourite category, sometimes any other.</summary>
    public DemoCategory Category(DemoRandom random, DemoCategory favourite) =>
        random.Chance(0.55) ? favourite : Category(random);

    /// <summary>A favourite for a repeat buyer: consumables are what people come back for.</summary>
    public DemoCategory RepeatFavourite(DemoRandom random)
    {
        var roll = random.NextDouble();
        var wanted = roll < 0.35 ? "coffee" : roll < 0.6 ? "beauty" : null;
        return _categories.FirstOrDefault(c => c.Name == wanted) ?? Category(random);
    }

    public DemoCategory CategoryOf(DemoProduct product) => _categories.First(c => c.Name == product.Category);

    public IReadOnlyList<DemoProduct> InCategory(DemoCategory category) => _byCategory[category.Name];

    /// <summary>A product of <paramref name="category"/>, the popular ones more often.</summary>
    public DemoProduct Popular(DemoRandom random, DemoCategory category) =>
        _byCategory[category.Name][random.PickWeighted(_popularity[category.Name])];

    /// <summary>Products whose name contains <paramref name="query"/>, as the shop's search would list them.</summary>
    public IReadOnlyList<DemoProduct> Search(string query) =>
        [.. _products.Where(p => p.Name.Contains(query, StringComparison.OrdinalIgnoreCase)).Take(12)];
}
