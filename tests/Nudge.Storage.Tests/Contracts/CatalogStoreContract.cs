using Nudge.Core.Catalog;
using Nudge.Storage.Catalog;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class CatalogStoreContract(IDatabaseSource databases) : StoreContract(databases)
{
    private CatalogStore Store => new(Database, Time);

    private static CatalogProduct Shoe(string id = "shoe-1", decimal price = 89.90m, int? quantity = 5) => new()
    {
        Id = id,
        Sku = "SH-" + id,
        Title = "Trail Runner " + id,
        Url = $"https://shop.example/p/{id}",
        ImageUrl = $"https://shop.example/img/{id}.jpg",
        Price = price,
        CompareAtPrice = 99.90m,
        Currency = "EUR",
        Categories = ["Shoes", "Running"],
        Brand = "Fleetfoot",
        ProductType = "Shoes",
        Tags = ["trail", "new"],
        InventoryQuantity = quantity,
    };

    [Fact]
    public async Task An_upserted_product_loads_back_with_everything_the_shop_sent()
    {
        var shoe = Shoe() with { Marketing = new MarketingAttributes(["socks-1"], ["shoe-pro"], null, 10) };

        var result = await Store.UpsertAsync(Some.Workspace, [shoe], Ct);
        var loaded = await Store.GetAsync(Some.Workspace, "shoe-1", Ct);

        Assert.Equal((1, 0, 0), (result.Created, result.Updated, result.Unchanged));
        Assert.NotNull(loaded);
        Assert.Equal(("Trail Runner shoe-1", "SH-shoe-1", 89.90m, 99.90m, "EUR", 5), (loaded.Title, loaded.Sku, loaded.Price, loaded.CompareAtPrice, loaded.Currency, loaded.InventoryQuantity));
        Assert.Equal(["Shoes", "Running"], loaded.Categories);
        Assert.Equal(["socks-1"], loaded.Marketing.ComplementaryProductIds);
        Assert.Equal(10, loaded.Marketing.ReviewDelayDays);
        Assert.Equal(Some.Start, loaded.CreatedAt);
        Assert.Equal(Some.Start, loaded.UpdatedAt);
    }

    [Fact]
    public async Task Upserting_the_same_products_again_writes_nothing()
    {
        await Store.UpsertAsync(Some.Workspace, [Shoe("a"), Shoe("b")], Ct);
        Time.Advance(TimeSpan.FromHours(1));

        var again = await Store.UpsertAsync(Some.Workspace, [Shoe("a"), Shoe("b")], Ct);

        Assert.Equal((0, 0, 2), (again.Created, again.Updated, again.Unchanged));
        Assert.Empty(again.Changes);
        Assert.Single(await Store.PriceHistoryAsync(Some.Workspace, "a", null, Ct));
        Assert.Single(await Store.InventoryHistoryAsync(Some.Workspace, "a", null, Ct));
        Assert.Equal(Some.Start, (await Store.GetAsync(Some.Workspace, "a", Ct))!.UpdatedAt);
    }

    [Fact]
    public async Task A_price_change_appends_price_history_and_a_title_change_does_not()
    {
        await Store.UpsertAsync(Some.Workspace, [Shoe(price: 100m)], Ct);
        Time.Advance(TimeSpan.FromDays(1));
        var retitled = await Store.UpsertAsync(Some.Workspace, [Shoe(price: 100m) with { Title = "Trail Runner 2" }], Ct);
        Time.Advance(TimeSpan.FromDays(1));
        var cheaper = await Store.UpsertAsync(Some.Workspace, [Shoe(price: 80m)], Ct);

        Assert.Equal(1, retitled.Updated);
        Assert.Empty(retitled.Changes[0].Prices);
        Assert.Equal(new PriceChange(null, 100m, 80m, "EUR"), Assert.Single(cheaper.Changes[0].Prices));
        var history = await Store.PriceHistoryAsync(Some.Workspace, "shoe-1", null, Ct);
        Assert.Equal([100m, 80m], history.Select(h => h.Price));
        Assert.Equal([Some.Start, Some.Start.AddDays(2)], history.Select(h => h.At));
        Assert.Equal(99.90m, history[1].CompareAtPrice);
    }

    [Fact]
    public async Task Variant_prices_and_stock_have_their_own_history()
    {
        var product = Shoe() with
        {
            Price = null,
            InventoryQuantity = null,
            Variants = [new CatalogVariant { Id = "42", Price = 90m, InventoryQuantity = 0 }, new CatalogVariant { Id = "43", Price = 90m, InventoryQuantity = 3 }],
        };
        await Store.UpsertAsync(Some.Workspace, [product], Ct);
        Time.Advance(TimeSpan.FromHours(2));

        var restocked = await Store.UpsertAsync(Some.Workspace,
            [product with { Variants = [product.Variants[0] with { InventoryQuantity = 4 }, product.Variants[1]] }], Ct);

        var change = Assert.Single(restocked.Changes[0].Stock);
        Assert.Equal(new StockChange("42", 0, 4, false, true), change);
        Assert.Empty(restocked.Changes[0].Prices);
        var stock = await Store.InventoryHistoryAsync(Some.Workspace, "shoe-1", null, Ct);
        Assert.Equal([("42", 0, false), ("43", 3, true), ("42", 4, true)], stock.Select(s => (s.VariantId, s.Quantity!.Value, s.InStock)));
        Assert.True((await Store.GetAsync(Some.Workspace, "shoe-1", Ct))!.InStock);
    }

    [Fact]
    public async Task History_since_a_moment_starts_with_the_row_in_effect_then()
    {
        await Store.UpsertAsync(Some.Workspace, [Shoe(price: 100m)], Ct);
        Time.Advance(TimeSpan.FromDays(10));
        await Store.UpsertAsync(Some.Workspace, [Shoe(price: 90m)], Ct);
        Time.Advance(TimeSpan.FromDays(10));
        await Store.UpsertAsync(Some.Workspace, [Shoe(price: 70m)], Ct);

        var lastWeeks = await Store.PriceHistoryAsync(Some.Workspace, "shoe-1", Some.Start.AddDays(15), Ct);

        Assert.Equal([90m, 70m], lastWeeks.Select(p => p.Price));
    }

    [Fact]
    public async Task A_deleted_product_is_gone_with_its_history()
    {
        await Store.UpsertAsync(Some.Workspace, [Shoe()], Ct);

        Assert.True(await Store.DeleteAsync(Some.Workspace, "shoe-1", Ct));

        Assert.Null(await Store.GetAsync(Some.Workspace, "shoe-1", Ct));
        Assert.Empty(await Store.PriceHistoryAsync(Some.Workspace, "shoe-1", null, Ct));
        Assert.Empty((await Store.SearchAsync(Some.Workspace, new CatalogQuery(Category: "shoes"), Ct)).Products);
        Assert.False(await Store.DeleteAsync(Some.Workspace, "shoe-1", Ct));
    }

    [Fact]
    public async Task Products_of_another_workspace_are_not_visible()
    {
        await Store.UpsertAsync(Some.OtherWorkspace, [Shoe()], Ct);

        Assert.Null(await Store.GetAsync(Some.Workspace, "shoe-1", Ct));
        Assert.Empty((await Store.SearchAsync(Some.Workspace, new CatalogQuery(), Ct)).Products);
        var mine = await Store.UpsertAsync(Some.Workspace, [Shoe()], Ct);
        Assert.Equal(1, mine.Created);
    }

    [Fact]
    public async Task Search_matches_words_in_title_sku_and_brand_and_filters_case_insensitively()
    {
        await Store.UpsertAsync(Some.Workspace,
        [
            Shoe("a"),
            Shoe("b", quantity: 0) with { Brand = "Other", Categories = ["Sale"], Tags = ["clearance"] },
            new CatalogProduct { Id = "mug", Title = "Coffee 100% Mug", ProductType = "Kitchen", Price = 9m, Currency = "EUR" },
        ], Ct);

        async Task<string[]> Ids(CatalogQuery query) => (await Store.SearchAsync(Some.Workspace, query, Ct)).Products.Select(p => p.Id).ToArray();

        Assert.Equal(["a", "b"], await Ids(new CatalogQuery(Text: "trail RUNNER")));
        Assert.Equal(["b"], await Ids(new CatalogQuery(Text: "sh-b")));
        Assert.Equal(["a"], await Ids(new CatalogQuery(Text: "fleetfoot")));
        Assert.Equal(["mug"], await Ids(new CatalogQuery(Text: "100%")));
        Assert.Equal(["mug"], await Ids(new CatalogQuery(Text: "%")));
        Assert.Equal(["a"], await Ids(new CatalogQuery(Category: "running")));
        Assert.Equal(["b"], await Ids(new CatalogQuery(Brand: "OTHER")));
        Assert.Equal(["mug"], await Ids(new CatalogQuery(ProductType: "kitchen")));
        Assert.Equal(["b"], await Ids(new CatalogQuery(Tag: "Clearance")));
        Assert.Equal(["b"], await Ids(new CatalogQuery(InStock: false)));
        Assert.Equal(["a", "mug"], await Ids(new CatalogQuery(InStock: true)));
        Assert.Equal(["a"], await Ids(new CatalogQuery(Text: "trail", InStock: true, Tag: "new")));
    }

    [Fact]
    public async Task Search_pages_follow_the_product_ids_without_gaps_or_repeats()
    {
        await Store.UpsertAsync(Some.Workspace, Enumerable.Range(0, 25).Select(i => Shoe($"p{i:D2}")).ToList(), Ct);

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await Store.SearchAsync(Some.Workspace, new CatalogQuery(After: after, Limit: 10), Ct);
            seen.AddRange(page.Products.Select(p => p.Id));
            after = page.Next;
            pages++;
        }
        while (after is not null);

        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"p{i:D2}"), seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task The_shops_own_times_are_kept_and_the_first_creation_time_stays()
    {
        var shopCreated = new DateTimeOffset(2025, 1, 5, 8, 0, 0, TimeSpan.Zero);
        await Store.UpsertAsync(Some.Workspace, [Shoe() with { CreatedAt = shopCreated }], Ct);
        Time.Advance(TimeSpan.FromDays(3));
        await Store.UpsertAsync(Some.Workspace, [Shoe(price: 1m)], Ct);

        var loaded = await Store.GetAsync(Some.Workspace, "shoe-1", Ct);

        Assert.Equal(shopCreated, loaded!.CreatedAt);
        Assert.Equal(Some.Start.AddDays(3), loaded.UpdatedAt);
    }

    [Fact]
    public async Task The_last_copy_of_a_product_sent_twice_in_one_upsert_wins()
    {
        var result = await Store.UpsertAsync(Some.Workspace, [Shoe(price: 10m), Shoe(price: 12m)], Ct);

        Assert.Equal((1, 1), (result.Created, result.Unchanged));
        Assert.Equal(12m, (await Store.GetAsync(Some.Workspace, "shoe-1", Ct))!.Price);
        Assert.Equal([12m], (await Store.PriceHistoryAsync(Some.Workspace, "shoe-1", null, Ct)).Select(p => p.Price));
    }

    [Fact]
    public async Task A_change_in_place_updates_only_what_it_touches_and_records_the_stock_change()
    {
        var product = Shoe() with { Variants = [new CatalogVariant { Id = "42", Price = 90m, InventoryQuantity = 0 }] };
        await Store.UpsertAsync(Some.Workspace, [product], Ct);
        Time.Advance(TimeSpan.FromMinutes(1));

        var result = await Store.ChangeAsync(Some.Workspace, ["shoe-1", "missing"],
            p => p with { Variants = p.Variants.Select(v => v.Id == "42" ? v with { InventoryQuantity = 7 } : v).ToList() }, Ct);
        var same = await Store.ChangeAsync(Some.Workspace, ["shoe-1"], p => p, Ct);

        Assert.Equal(new StockChange("42", 0, 7, false, true), Assert.Single(Assert.Single(result.Changes).Stock));
        Assert.Equal((0, 0, 1), (same.Created, same.Updated, same.Unchanged));
        var loaded = await Store.GetAsync(Some.Workspace, "shoe-1", Ct);
        Assert.Equal((7, "Trail Runner shoe-1"), (loaded!.Variants[0].InventoryQuantity!.Value, loaded.Title));
        Assert.Null(await Store.GetAsync(Some.Workspace, "missing", Ct));
    }

    [Fact]
    public async Task Product_type_attributes_are_set_read_and_removed_case_insensitively()
    {
        var types = new ProductTypeStore(Database, Time);
        await types.SetAsync(Some.Workspace, "Shoes", new MarketingAttributes(["socks"], null, null, 10), Ct);

        var found = await types.GetAsync(Some.Workspace, "shoes", Ct);

        Assert.Equal("Shoes", found!.ProductType);
        Assert.Equal(["socks"], found.Attributes.ComplementaryProductIds);
        Assert.Equal(10, found.Attributes.ReviewDelayDays);
        Assert.Single(await types.ListAsync(Some.Workspace, Ct));
        Assert.Null(await types.GetAsync(Some.OtherWorkspace, "shoes", Ct));
        Assert.True(await types.DeleteAsync(Some.Workspace, "SHOES", Ct));
        Assert.Null(await types.GetAsync(Some.Workspace, "Shoes", Ct));
    }
}

public sealed class SqliteCatalogStoreContract() : CatalogStoreContract(new SqliteDatabases());

public sealed class PostgresCatalogStoreContract(PostgresDatabases postgres) : CatalogStoreContract(postgres);
