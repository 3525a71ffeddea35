using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nudge.Core.Catalog;
using Nudge.Core.Ingestion;
using Nudge.Server.Catalog;
using Nudge.Storage;
using Nudge.Storage.Catalog;
using Nudge.Storage.Events;
using Nudge.Storage.Migrations;
using Nudge.Storage.Profiles;

namespace Nudge.Server.Tests.Catalog;

/// <summary>Back-in-stock waves in simulated time, on a real SQLite database and event log.</summary>
public sealed class BackInStockWaveTests : IAsyncLifetime
{
    private const string Workspace = "ws_shop";

    private readonly string _folder = Directory.CreateTempSubdirectory("nudge-waves-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private Database _database = null!;
    private EventLog _log = null!;
    private DerivedStateWriter _writer = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CatalogStore Catalog => new(_database, _time);

    public async ValueTask InitializeAsync()
    {
        _database = new Database(StorageProvider.Sqlite, $"Data Source={Path.Combine(_folder, "nudge.db")}");
        await new Migrator(_database, NullLogger<Migrator>.Instance).MigrateAsync(Ct);
        _log = new EventLog(_database, new StorageOptions(), _time, new LogSignal(), NullLogger<EventLog>.Instance);
        await _log.StartAsync(Ct);
        _writer = new DerivedStateWriter(_database);
    }

    public async ValueTask DisposeAsync()
    {
        await _log.DisposeAsync();
        await _writer.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A fresh instance each time, as after a restart: everything it knows comes from the database.</summary>
    private ProductSignals Signals() => new(
        Catalog, new ProductInterestStore(_database), new ProductSignalStore(_database, _time), new BackInStockStore(_database),
        new CatalogCursors(_database), new ProfileStore(_database, _writer), _log, _time, NullLogger<ProductSignals>.Instance);

    private Task StockAsync(int quantity) =>
        Catalog.UpsertAsync(Workspace, [new CatalogProduct { Id = "kettle", Title = "Kettle", Price = 40m, Currency = "EUR", InventoryQuantity = quantity }], Ct);

    private Task AskAsync(string profileId) => AppendAsync(profileId, CatalogEvents.BackInStockRequested);

    private async Task AppendAsync(string profileId, string name)
    {
        var body = new JsonObject
        {
            ["type"] = "track",
            ["event"] = name,
            ["messageId"] = name + profileId,
            ["properties"] = new JsonObject { ["product_id"] = "kettle" },
        }.ToJsonString();
        var message = new IncomingMessage
        {
            Type = MessageType.Track, MessageId = name + profileId, Name = name,
            Timestamp = _time.GetUtcNow(), ReceivedAt = _time.GetUtcNow(), Body = JsonSerializer.Deserialize<JsonElement>(body),
        };
        await _log.AppendAsync([new EventToAppend(Workspace, message, KeyKind.Internal, body, null) { ForProfile = profileId }], Ct);
        _time.Advance(TimeSpan.FromSeconds(1));
    }

    /// <summary>Who got a Back In Stock event, in log order.</summary>
    private async Task<List<string>> ToldAsync()
    {
        await using var connection = await _database.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT profile_id FROM events WHERE name = 'Back In Stock' ORDER BY seq";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var told = new List<string>();
        while (await reader.ReadAsync(Ct))
            told.Add(reader.GetString(0));
        return told;
    }

    [Fact]
    public async Task A_small_restock_tells_people_in_waves_of_three_per_unit_in_the_order_they_asked()
    {
        await StockAsync(0);
        var people = Enumerable.Range(1, 8).Select(i => $"prf_{i:D2}").ToList();
        foreach (var person in people)
            await AskAsync(person);
        await Signals().RunOnceAsync(Ct);

        await StockAsync(1);
        await Signals().RunOnceAsync(Ct);
        var firstWave = await ToldAsync();
        _time.Advance(TimeSpan.FromMinutes(59));
        await Signals().RunOnceAsync(Ct);
        var beforeTheHour = await ToldAsync();
        _time.Advance(TimeSpan.FromMinutes(1));
        await Signals().RunOnceAsync(Ct);
        var secondWave = await ToldAsync();

        Assert.Equal(people[..3], firstWave);
        Assert.Equal(firstWave, beforeTheHour);
        Assert.Equal(people[..6], secondWave);
    }

    [Fact]
    public async Task People_not_reached_before_it_sold_out_again_are_told_first_at_the_next_restock_and_nobody_twice()
    {
        await StockAsync(0);
        var people = Enumerable.Range(1, 5).Select(i => $"prf_{i:D2}").ToList();
        foreach (var person in people)
            await AskAsync(person);
        await Signals().RunOnceAsync(Ct);
        await StockAsync(1);
        await Signals().RunOnceAsync(Ct);

        await StockAsync(0);
        _time.Advance(TimeSpan.FromHours(1));
        await Signals().RunOnceAsync(Ct);
        var whileSoldOut = await ToldAsync();
        await StockAsync(4);
        await Signals().RunOnceAsync(Ct);
        _time.Advance(TimeSpan.FromHours(5));
        await Signals().RunOnceAsync(Ct);

        Assert.Equal(people[..3], whileSoldOut);
        Assert.Equal(people, await ToldAsync());
    }

    [Fact]
    public async Task Untracked_stock_tells_everyone_at_once()
    {
        await Catalog.UpsertAsync(Workspace, [new CatalogProduct { Id = "kettle", Title = "Kettle", Availability = Availability.OutOfStock }], Ct);
        foreach (var i in Enumerable.Range(1, 7))
            await AskAsync($"prf_{i}");
        await Signals().RunOnceAsync(Ct);

        await Catalog.UpsertAsync(Workspace, [new CatalogProduct { Id = "kettle", Title = "Kettle", Availability = Availability.InStock }], Ct);
        await Signals().RunOnceAsync(Ct);

        Assert.Equal(7, (await ToldAsync()).Count);
    }

    [Fact]
    public async Task A_view_while_sold_out_counts_even_when_it_is_read_after_the_restock()
    {
        await StockAsync(0);
        await Signals().RunOnceAsync(Ct);
        await AppendAsync("prf_viewer", CatalogEvents.ProductViewed);
        _time.Advance(TimeSpan.FromMinutes(5));
        await AppendAsync("prf_later_viewer", CatalogEvents.ProductViewed);

        await StockAsync(2);
        _time.Advance(TimeSpan.FromMinutes(1));
        await AppendAsync("prf_viewer_in_stock", CatalogEvents.ProductViewed);
        await Signals().RunOnceAsync(Ct);

        Assert.Equal(["prf_viewer", "prf_later_viewer"], await ToldAsync());
    }
}
