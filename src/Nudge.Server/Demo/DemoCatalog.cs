using System.Text;

namespace Nudge.Server.Demo;

/// <summary>Builds the product catalog from the category word lists.</summary>
internal static class DemoCatalog
{
    private static readonly Uri _shop = new("https://demo-shop.example/");

    public static IReadOnlyList<DemoProduct> Build(DemoRandom random, int count)
    {
        var counts = Allocate(count);
        var products = new List<DemoProduct>(count);
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < DemoCategories.All.Count; c++)
        {
            var category = DemoCategories.All[c];
            for (var i = 0; i < counts[c]; i++)
            {
                var number = products.Count + 1;
                var (name, basePrice) = UniqueName(random, category, slugs);
                var slug = Slug(name);
                products.Add(new DemoProduct(
                    Id: $"prod-{number:D3}",
                    Sku: $"{category.SkuPrefix}-{1000 + number}",
                    Name: name,
                    Category: category.Name,
                    Brand: random.Pick(category.Brands),
                    Price: ShelfPrice(basePrice * random.LogNormal(0.28)),
                    Url: new Uri(_shop, $"products/{slug}"),
                    ImageUrl: new Uri(_shop, $"images/products/{slug}.jpg")));
            }
        }

        return products;
    }

    /// <summary>Splits <paramref name="count"/> over the categories by share (largest remainder).</summary>
    private static int[] Allocate(int count)
    {
        var categories = DemoCategories.All;
        var total = categories.Sum(c => c.Share);
        var exact = categories.Select(c => count * c.Share / total).ToArray();
        var counts = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var byRemainder = Enumerable.Range(0, counts.Length).OrderByDescending(i => exact[i] - counts[i]).ThenBy(i => i).ToArray();
        var missing = count - counts.Sum();
        for (var i = 0; i < missing; i++)
        {
            counts[byRemainder[i]]++;
        }

        return counts;
    }

    private static (string Name, double Price) UniqueName(DemoRandom random, DemoCategory category, HashSet<string> slugs)
    {
        var (noun, price) = random.Pick(category.Nouns);
        var name = $"{random.Pick(category.Adjectives)} {random.Pick(category.Materials)} {noun}";
        for (var attempt = 0; attempt < 40 && slugs.Contains(Slug(name)); attempt++)
        {
            (noun, price) = random.Pick(category.Nouns);
            name = $"{random.Pick(category.Adjectives)} {random.Pick(category.Materials)} {noun}";
        }

        // Large catalogs run out of word combinations; number the repeats like a product line.
        var candidate = name;
        for (var edition = 2; !slugs.Add(Slug(candidate)); edition++)
        {
            candidate = $"{name} {edition}";
        }

        return (candidate, price);
    }

    /// <summary>Rounds to the prices shops print: 7.49, 24.99, 149.00, 1,190.00.</summary>
    private static decimal ShelfPrice(double raw)
    {
        var price = raw switch
        {
            < 10 => (Math.Round(raw * 2) / 2) - 0.01,
            < 100 => Math.Round(raw) - 0.01,
            < 500 => (Math.Round(raw / 10) * 10) - 0.01,
            _ => Math.Round(raw / 50) * 50,
        };
        return Math.Round((decimal)Math.Max(price, 0.99), 2);
    }

    private static string Slug(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (c != '\'' && builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        return builder.ToString().TrimEnd('-');
    }
}
