using Nudge.Core.Connectors;
using Nudge.Storage.Connectors;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class ConnectorStoreContract(IDatabaseSource databases) : StoreContract(databases)
{
    private ConnectorStore Connectors => new(Database, Time);

    private DeliveryStore Deliveries => new(Database);

    [Fact]
    public async Task A_created_connector_reads_back_whole_in_its_workspace_only()
    {
        var created = await Connectors.CreateAsync(Some.Workspace, new ConnectorDraft(ShopPlatform.Shopify, "nudge-demo.myshopify.com", "shpss_secret", "shpat_token"), Ct);

        var read = await Connectors.GetAsync(Some.Workspace, created.Id, Ct);

        Assert.Equal(created, read);
        Assert.Equal((ShopPlatform.Shopify, "nudge-demo.myshopify.com", "shpss_secret", "shpat_token"), (read!.Platform, read.ShopDomain, read.Secret, read.AdminAccessToken));
        Assert.StartsWith("con_", created.Id, StringComparison.Ordinal);
        Assert.Null(await Connectors.GetAsync(Some.OtherWorkspace, created.Id, Ct));
        Assert.Equal(created, await Connectors.FindAsync(created.Id, Ct));
    }

    [Fact]
    public async Task A_workspace_lists_its_connectors_oldest_first()
    {
        var first = await Connectors.CreateAsync(Some.Workspace, new ConnectorDraft(ShopPlatform.WooCommerce, "shop.example", "wc-secret", null), Ct);
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = await Connectors.CreateAsync(Some.Workspace, new ConnectorDraft(ShopPlatform.Shopware, "sw.example", "sw-secret", null), Ct);
        await Connectors.CreateAsync(Some.OtherWorkspace, new ConnectorDraft(ShopPlatform.Shopify, "other.myshopify.com", "s", null), Ct);

        Assert.Equal([first.Id, second.Id], (await Connectors.ListAsync(Some.Workspace, Ct)).Select(c => c.Id));
    }

    [Fact]
    public async Task Deleting_a_connector_forgets_its_deliveries_and_only_its_own_workspace_can()
    {
        var connector = await Connectors.CreateAsync(Some.Workspace, new ConnectorDraft(ShopPlatform.Shopify, "a.myshopify.com", "s", null), Ct);
        await Deliveries.ReceiveAsync(connector.Id, Some.Workspace, "wh-1", "orders/create", "{}", Time.GetUtcNow(), Ct);
        await Deliveries.RememberEventIdsAsync(connector.Id, ["m-1"], Ct);

        Assert.False(await Connectors.DeleteAsync(Some.OtherWorkspace, connector.Id, Ct));
        Assert.True(await Connectors.DeleteAsync(Some.Workspace, connector.Id, Ct));

        Assert.Null(await Connectors.FindAsync(connector.Id, Ct));
        Assert.False(await Connectors.DeleteAsync(Some.Workspace, connector.Id, Ct));
        Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM connector_deliveries"));
        Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM connector_event_ids"));
    }

    [Fact]
    public async Task A_delivery_sent_again_is_stored_once()
    {
        var first = await Deliveries.ReceiveAsync("con_1", Some.Workspace, "wh-1", "orders/create", "{\"id\":1}", Time.GetUtcNow(), Ct);
        var again = await Deliveries.ReceiveAsync("con_1", Some.Workspace, "wh-1", "orders/create", "{\"id\":1}", Time.GetUtcNow(), Ct);
        var otherConnector = await Deliveries.ReceiveAsync("con_2", Some.Workspace, "wh-1", "orders/create", "{\"id\":1}", Time.GetUtcNow(), Ct);

        Assert.True(first.IsNew);
        Assert.Equal(new ReceivedDelivery(first.DeliveryId, false), again);
        Assert.True(otherConnector.IsNew);
        var stored = await Deliveries.GetAsync(Some.Workspace, first.DeliveryId, Ct);
        Assert.Equal(("orders/create", "{\"id\":1}", DeliveryStatus.Pending, 0), (stored!.Topic, stored.Body, stored.Status, stored.Attempts));
    }

    [Fact]
    public async Task A_claimed_delivery_is_not_claimed_again_until_its_lease_runs_out()
    {
        var received = await Deliveries.ReceiveAsync("con_1", Some.Workspace, "wh-1", "orders/create", "{}", Time.GetUtcNow(), Ct);
        var now = Time.GetUtcNow();

        var claimed = await Deliveries.ClaimAsync(now, now.AddMinutes(1), 10, Ct);
        var meanwhile = await Deliveries.ClaimAsync(now.AddSeconds(30), now.AddMinutes(2), 10, Ct);
        var afterLease = await Deliveries.ClaimAsync(now.AddMinutes(1), now.AddMinutes(2), 10, Ct);

        Assert.Equal([(received.DeliveryId, DeliveryStatus.Processing, 1)], claimed.Select(d => (d.Id, d.Status, d.Attempts)));
        Assert.Empty(meanwhile);
        Assert.Equal([(received.DeliveryId, 2)], afterLease.Select(d => (d.Id, d.Attempts)));
    }

    [Fact]
    public async Task Finished_retried_and_failed_deliveries_say_so()
    {
        var now = Time.GetUtcNow();
        var processed = await Deliveries.ReceiveAsync("con_1", Some.Workspace, "a", "orders/create", "{}", now, Ct);
        var ignored = await Deliveries.ReceiveAsync("con_1", Some.Workspace, "b", "carts/create", "{}", now.AddMilliseconds(1), Ct);
        var retried = await Deliveries.ReceiveAsync("con_1", Some.Workspace, "c", "orders/paid", "{}", now.AddMilliseconds(2), Ct);
        var failed = await Deliveries.ReceiveAsync("con_1", Some.Workspace, "d", "orders/paid", "not json", now.AddMilliseconds(3), Ct);
        Assert.Equal(4, (await Deliveries.ClaimAsync(now.AddSeconds(1), now.AddMinutes(1), 10, Ct)).Count);

        await Deliveries.FinishAsync(processed.DeliveryId, DeliveryStatus.Processed, 2, null, now.AddSeconds(2), Ct);
        await Deliveries.FinishAsync(ignored.DeliveryId, DeliveryStatus.Ignored, 0, "topic carts/create is not mapped", now.AddSeconds(2), Ct);
        await Deliveries.RetryAsync(retried.DeliveryId, "database busy", now.AddMinutes(5), Ct);
        await Deliveries.FailAsync(failed.DeliveryId, "the body is not JSON", now.AddSeconds(2), Ct);

        var listed = await Deliveries.ListAsync(Some.Workspace, "con_1", null, 10, Ct);
        Assert.Equal(
            [("d", DeliveryStatus.Failed, 0, "the body is not JSON"), ("c", DeliveryStatus.Pending, 0, "database busy"),
             ("b", DeliveryStatus.Ignored, 0, "topic carts/create is not mapped"), ("a", DeliveryStatus.Processed, 2, null)],
            listed.Select(d => (d.DeliveryKey, d.Status, d.Events, d.Error)));
        Assert.Equal(["d"], (await Deliveries.ListAsync(Some.Workspace, "con_1", DeliveryStatus.Failed, 10, Ct)).Select(d => d.DeliveryKey));
        Assert.Empty(await Deliveries.ListAsync(Some.OtherWorkspace, "con_1", null, 10, Ct));
        Assert.Empty(await Deliveries.ClaimAsync(now.AddMinutes(4), now.AddMinutes(6), 10, Ct));
        Assert.Equal(["c"], (await Deliveries.ClaimAsync(now.AddMinutes(5), now.AddMinutes(6), 10, Ct)).Select(d => d.DeliveryKey));
    }

    [Fact]
    public async Task Remembered_event_ids_are_not_unseen_any_more()
    {
        await Deliveries.RememberEventIdsAsync("con_1", ["shopify-order-1-completed"], Ct);
        await Deliveries.RememberEventIdsAsync("con_1", ["shopify-order-1-completed", "shopify-order-1-paid"], Ct);

        var unseen = await Deliveries.UnseenEventIdsAsync("con_1", ["shopify-order-1-completed", "shopify-order-1-paid", "shopify-order-2-completed"], Ct);

        Assert.Equal(["shopify-order-2-completed"], unseen);
        Assert.Equal(2, (await Deliveries.UnseenEventIdsAsync("con_2", ["shopify-order-1-completed", "x"], Ct)).Count);
    }

    [Fact]
    public async Task An_orders_buyer_is_remembered_and_completed_but_never_forgotten()
    {
        var buyers = new OrderBuyers(Database);
        await buyers.RememberAsync("con_1", "820982911946154508", new OrderBuyer("115310627314723954", "jon@example.com", null), Ct);
        await buyers.RememberAsync("con_1", "820982911946154508", new OrderBuyer(null, null, "+4915123456789"), Ct);

        Assert.Equal(new OrderBuyer("115310627314723954", "jon@example.com", "+4915123456789"), await buyers.FindAsync("con_1", "820982911946154508", Ct));
        Assert.Null(await buyers.FindAsync("con_2", "820982911946154508", Ct));
        Assert.Null(await buyers.FindAsync("con_1", "1", Ct));
    }

    [Fact]
    public async Task An_inventory_item_finds_its_variant_for_its_own_connector_only()
    {
        var items = new InventoryItems(Database);
        await items.RememberAsync("con_1", new Dictionary<string, InventoryItemVariant>
        {
            ["808950810"] = new("632910392", "808950810"),
            ["49148385"] = new("632910392", "49148385"),
        }, Ct);
        // A variant moved to another product (or recreated) keeps its inventory item: the newest product wins.
        await items.RememberAsync("con_1", new Dictionary<string, InventoryItemVariant> { ["49148385"] = new("777", "49148385") }, Ct);

        Assert.Equal(new InventoryItemVariant("632910392", "808950810"), await items.FindAsync("con_1", "808950810", Ct));
        Assert.Equal(new InventoryItemVariant("777", "49148385"), await items.FindAsync("con_1", "49148385", Ct));
        Assert.Null(await items.FindAsync("con_2", "808950810", Ct));
        Assert.Null(await items.FindAsync("con_1", "1", Ct));
    }

    [Fact]
    public async Task Deleting_a_connector_forgets_its_inventory_items()
    {
        var connector = await Connectors.CreateAsync(Some.Workspace, new ConnectorDraft(ShopPlatform.Shopify, "b.myshopify.com", "s", null), Ct);
        await new InventoryItems(Database).RememberAsync(connector.Id, new Dictionary<string, InventoryItemVariant> { ["1"] = new("2", "3") }, Ct);

        Assert.True(await Connectors.DeleteAsync(Some.Workspace, connector.Id, Ct));

        Assert.Null(await new InventoryItems(Database).FindAsync(connector.Id, "1", Ct));
    }
}

public sealed class SqliteConnectorStoreContract() : ConnectorStoreContract(new SqliteDatabases());

public sealed class PostgresConnectorStoreContract(PostgresDatabases postgres) : ConnectorStoreContract(postgres);
