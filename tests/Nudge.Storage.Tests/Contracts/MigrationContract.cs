using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class MigrationContract(IDatabaseSource databases) : StoreContract(databases)
{
    [Fact]
    public async Task Migrations_apply_once_and_a_second_run_applies_nothing()
    {
        var database = await NewDatabaseAsync();

        var first = await MigrateAsync(database);
        var second = await MigrateAsync(database);

        Assert.Contains("0001_foundation", first);
        Assert.Empty(second);
        Assert.Equal(first.Count, await database.CountAsync("SELECT COUNT(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task A_migrated_database_has_every_store_table()
    {
        foreach (var table in new[] { "workspaces", "api_keys", "events", "identities", "profile_merges", "profiles", "partition_cursors", "erasures", "suppressions", "templates", "template_versions", "flows", "flow_versions", "flow_runs", "flow_run_steps", "flow_schedules", "push_subscriptions", "outbox", "message_events", "connectors", "connector_deliveries", "connector_event_ids", "connector_orders", "connector_inventory_items", "coupon_pools", "coupon_codes" })
            Assert.Equal(0, await Database.CountAsync($"SELECT COUNT(*) FROM {table}"));
    }
}

public sealed class SqliteMigrationContract() : MigrationContract(new SqliteDatabases());

public sealed class PostgresMigrationContract(PostgresDatabases postgres) : MigrationContract(postgres);
