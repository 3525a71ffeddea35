using Nudge.Core.Catalog;
using Nudge.Storage.Catalog;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class ProductSignalStoresContract(IDatabaseSource databases) : StoreContract(databases)
{
    private ProductInterestStore Interest => new(Database);

    private BackInStockStore Restocks => new(Database);

    private ProductSignalStore Signals => new(Database, Time);

    private static DateTimeOffset Day(int day) => Some.Start.AddDays(day);

    [Fact]
    public async Task Interest_keeps_the_latest_time_of_each_kind()
    {
        await Interest.RecordAsync(
        [
            new ProductInterest(Some.Workspace, "p", "ada", Day(5), null, null),
            new ProductInterest(Some.Workspace, "p", "ada", Day(3), Day(4), Day(3)),
            new ProductInterest(Some.Workspace, "p", "ada", null, Day(2), null),
        ], [], "interest", 42, Ct);

        var ada = await Interest.GetAsync(Some.Workspace, "p", "ada", Ct);

        Assert.Equal(new ProductInterest(Some.Workspace, "p", "ada", Day(5), Day(4), Day(3)), ada);
        Assert.Equal(42, await new CatalogCursors(Database).GetAsync("interest", Ct));
    }

    [Fact]
    public async Task A_large_batch_is_recorded_whole_and_the_position_moves_with_it()
    {
        var viewers = Enumerable.Range(0, 300).Select(i => $"viewer-{i:000}").ToList();
        var waiting = Enumerable.Range(0, 150).Select(i => $"waiting-{i:000}").ToList();

        await Interest.RecordAsync(
            [.. viewers.Select(v => new ProductInterest(Some.Workspace, "p", v, Day(1), null, null))],
            [.. waiting.Select(w => new BackInStockRequest(Some.Workspace, "q", null, w, Day(1)))],
            "interest", 99, Ct);
        var restock = await Restocks.OpenAsync(Some.Workspace, "q", null, historyId: 1, Day(2), viewedSince: Day(-30), Ct);

        Assert.Equal(viewers, await Interest.InterestedAsync(Some.Workspace, "p", Day(0), null, 1000, Ct));
        Assert.Equal(waiting, (await Restocks.NextAudienceAsync(restock!.Id, 1000, Ct)).Select(a => a.ProfileId).Order(StringComparer.Ordinal));
        Assert.Equal(99, await new CatalogCursors(Database).GetAsync("interest", Ct));
    }

    [Fact]
    public async Task The_audience_is_who_viewed_or_carted_since_a_moment_paged_by_profile()
    {
        await Interest.RecordAsync(
        [
            new ProductInterest(Some.Workspace, "p", "a", Day(10), null, null),
            new ProductInterest(Some.Workspace, "p", "b", null, Day(10), null),
            new ProductInterest(Some.Workspace, "p", "c", Day(1), Day(1), null),
            new ProductInterest(Some.Workspace, "q", "d", Day(10), null, null),
            new ProductInterest(Some.OtherWorkspace, "p", "e", Day(10), null, null),
        ], [], "interest", 1, Ct);

        var first = await Interest.InterestedAsync(Some.Workspace, "p", Day(5), null, 1, Ct);
        var second = await Interest.InterestedAsync(Some.Workspace, "p", Day(5), first[^1], 1, Ct);
        var third = await Interest.InterestedAsync(Some.Workspace, "p", Day(5), second[^1], 1, Ct);

        Assert.Equal(["a", "b"], first.Concat(second));
        Assert.Empty(third);
    }

    [Fact]
    public async Task A_restock_tells_requests_first_then_sold_out_viewers_and_records_each_wave()
    {
        await Interest.RecordAsync(
            [new ProductInterest(Some.Workspace, "p", "viewer", Day(1), null, Day(1)), new ProductInterest(Some.Workspace, "p", "old", Day(-90), null, Day(-90))],
            [
                new BackInStockRequest(Some.Workspace, "p", null, "late", Day(2)),
                new BackInStockRequest(Some.Workspace, "p", "v1", "early", Day(1)),
                new BackInStockRequest(Some.Workspace, "p", "v2", "other-variant", Day(1)),
                new BackInStockRequest(Some.Workspace, "p", null, "viewer", Day(3)),
            ], "interest", 1, Ct);

        var restock = await Restocks.OpenAsync(Some.Workspace, "p", "v1", historyId: 7, Day(5), viewedSince: Day(-30), Ct);
        var twice = await Restocks.OpenAsync(Some.Workspace, "p", "v1", historyId: 7, Day(5), viewedSince: Day(-30), Ct);
        var due = await Restocks.DueAsync(Day(5), 10, Ct);
        var first = await Restocks.NextAudienceAsync(restock!.Id, 2, Ct);
        await Restocks.CompleteWaveAsync(restock, first.Select(f => f.ProfileId).ToList(), Day(5), Day(5).AddHours(1), Ct);
        var notYet = await Restocks.DueAsync(Day(5).AddMinutes(59), 10, Ct);
        var rest = await Restocks.NextAudienceAsync(restock.Id, 10, Ct);
        await Restocks.CompleteWaveAsync(restock, rest.Select(f => f.ProfileId).ToList(), Day(5).AddHours(1), Day(5).AddHours(2), Ct);

        Assert.Null(twice);
        Assert.Single(due);
        Assert.Equal([("early", "requested"), ("late", "requested")], first);
        Assert.Empty(notYet);
        Assert.Equal([("viewer", "requested")], rest);
        Assert.Equal((2, "done", 3, 3), await Restocks.StateAsync(restock.Id, Ct));
        Assert.Null(await Restocks.NextDueAsync(Ct));
        Assert.Null((await Interest.GetAsync(Some.Workspace, "p", "viewer", Ct))!.ViewedOutOfStockAt);
        var again = await Restocks.OpenAsync(Some.Workspace, "p", "v2", historyId: 8, Day(6), viewedSince: Day(-30), Ct);
        Assert.Equal([("other-variant", "requested")], await Restocks.NextAudienceAsync(again!.Id, 10, Ct));
    }

    [Fact]
    public async Task Two_variants_back_at_once_tell_a_person_waiting_for_the_product_once()
    {
        await Interest.RecordAsync([new ProductInterest(Some.Workspace, "p", "viewer", Day(1), null, Day(1))],
            [new BackInStockRequest(Some.Workspace, "p", null, "any-variant", Day(1)), new BackInStockRequest(Some.Workspace, "p", "v2", "wants-v2", Day(1))],
            "interest", 1, Ct);

        var v1 = await Restocks.OpenAsync(Some.Workspace, "p", "v1", historyId: 1, Day(2), viewedSince: Day(-30), Ct);
        var v2 = await Restocks.OpenAsync(Some.Workspace, "p", "v2", historyId: 2, Day(2), viewedSince: Day(-30), Ct);

        Assert.Equal([("any-variant", "requested"), ("viewer", "viewed_out_of_stock")], await Restocks.NextAudienceAsync(v1!.Id, 10, Ct));
        Assert.Equal([("wants-v2", "requested")], await Restocks.NextAudienceAsync(v2!.Id, 10, Ct));
    }

    [Fact]
    public async Task Settings_default_until_set_and_are_kept_per_workspace()
    {
        var custom = new ProductSignalSettings(MinDropPercent: null, MinDropAmount: 5m, ReferenceDays: 14, WaveIntervalMinutes: 15);

        var before = await Signals.GetSettingsAsync(Some.Workspace, Ct);
        await Signals.SetSettingsAsync(Some.Workspace, custom, Ct);

        Assert.Equal(ProductSignalSettings.Default, before);
        Assert.Equal(custom, await Signals.GetSettingsAsync(Some.Workspace, Ct));
        Assert.Equal(ProductSignalSettings.Default, await Signals.GetSettingsAsync(Some.OtherWorkspace, Ct));
    }

    [Fact]
    public async Task History_rows_are_read_in_write_order_with_the_stock_before_each()
    {
        var catalog = new CatalogStore(Database, Time);
        var product = new CatalogProduct { Id = "p", Title = "P", Price = 10m, Currency = "EUR", InventoryQuantity = 0 };
        await catalog.UpsertAsync(Some.Workspace, [product], Ct);
        Time.Advance(TimeSpan.FromHours(1));
        await catalog.UpsertAsync(Some.Workspace, [product with { Price = 8.5m, InventoryQuantity = 3 }], Ct);

        var prices = await Signals.PriceRowsAfterAsync(0, 10, Ct);
        var stock = await Signals.StockRowsAfterAsync(0, 10, Ct);

        Assert.Equal([10m, 8.5m], prices.Select(p => p.Point.Price));
        Assert.All(prices, p => Assert.Equal(Some.Workspace, p.WorkspaceId));
        Assert.Equal([(false, (bool?)null), (true, false)], stock.Select(s => (s.Point.InStock, s.WasInStock)));
        Assert.Equal(prices[^1].Point.Id, await Signals.LastPriceRowAsync(Ct));
        Assert.Empty(await Signals.PriceRowsAfterAsync(prices[^1].Point.Id, 10, Ct));
    }

    [Fact]
    public async Task Forgetting_a_person_removes_their_interest_and_requests()
    {
        await Interest.RecordAsync([new ProductInterest(Some.Workspace, "p", "ada", Day(1), null, Day(1))],
            [new BackInStockRequest(Some.Workspace, "p", null, "ada", Day(1))], "interest", 1, Ct);

        await Interest.ForgetAsync(Some.Workspace, ["ada"], Ct);

        Assert.Null(await Interest.GetAsync(Some.Workspace, "p", "ada", Ct));
        Assert.Null(await Restocks.OpenAsync(Some.Workspace, "p", null, 1, Day(2), Day(-30), Ct));
    }
}

public sealed class SqliteProductSignalStoresContract() : ProductSignalStoresContract(new SqliteDatabases());

public sealed class PostgresProductSignalStoresContract(PostgresDatabases postgres) : ProductSignalStoresContract(postgres);
