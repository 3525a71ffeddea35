using System.Globalization;
using Nudge.Core.Consent;
using Nudge.Storage.Suppressions;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class SuppressionStoreContract(IDatabaseSource databases) : StoreContract(databases)
{
    private SuppressionStore Store => new(Database, Time);

    [Fact]
    public async Task An_added_address_is_suppressed_on_its_channel_in_its_workspace_only()
    {
        await Store.AddAsync(Some.Workspace, "email", "ada@example.com", SuppressionReason.HardBounce, "bounces", Ct);

        Assert.True(await Store.IsSuppressedAsync(Some.Workspace, "email", "ada@example.com", Ct));
        Assert.False(await Store.IsSuppressedAsync(Some.Workspace, "sms", "ada@example.com", Ct));
        Assert.False(await Store.IsSuppressedAsync(Some.OtherWorkspace, "email", "ada@example.com", Ct));
    }

    [Fact]
    public async Task A_suppression_keeps_its_reason_source_and_time()
    {
        var (added, isNew) = await Store.AddAsync(Some.Workspace, "sms", "+4915112345678", SuppressionReason.Complaint, "admin", Ct);

        Assert.True(isNew);
        Assert.Equal(new Suppression(Some.Workspace, "sms", "+4915112345678", SuppressionReason.Complaint, "admin", Some.Start), added);
        Assert.Equal(added, await Store.GetAsync(Some.Workspace, "sms", "+4915112345678", Ct));
    }

    [Fact]
    public async Task Adding_an_address_again_keeps_the_first_row()
    {
        var (first, _) = await Store.AddAsync(Some.Workspace, "email", "ada@example.com", SuppressionReason.Manual, "admin", Ct);
        Time.Advance(TimeSpan.FromDays(1));

        var (again, isNew) = await Store.AddAsync(Some.Workspace, "email", "ada@example.com", SuppressionReason.Complaint, "feedback loop", Ct);

        Assert.False(isNew);
        Assert.Equal(first, again);
    }

    [Fact]
    public async Task A_removed_address_can_be_sent_to_again()
    {
        await Store.AddAsync(Some.Workspace, "email", "ada@example.com", SuppressionReason.Manual, null, Ct);

        Assert.True(await Store.RemoveAsync(Some.Workspace, "email", "ada@example.com", Ct));
        Assert.False(await Store.RemoveAsync(Some.Workspace, "email", "ada@example.com", Ct));
        Assert.False(await Store.IsSuppressedAsync(Some.Workspace, "email", "ada@example.com", Ct));
    }

    [Fact]
    public async Task Filter_finds_the_suppressed_ones_among_many_addresses()
    {
        var addresses = Enumerable.Range(0, 1200).Select(i => $"person{i.ToString(CultureInfo.InvariantCulture)}@example.com").ToList();
        await Store.AddManyAsync(Some.Workspace,
            addresses.Where((_, i) => i % 100 == 7).Select(a => new SuppressionRequest("email", a, SuppressionReason.HardBounce)), "import", Ct);

        var suppressed = await Store.FilterAsync(Some.Workspace, "email", addresses, Ct);

        Assert.Equal(addresses.Where((_, i) => i % 100 == 7).Order(StringComparer.Ordinal), suppressed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_bulk_add_counts_only_addresses_that_were_not_suppressed_yet()
    {
        await Store.AddAsync(Some.Workspace, "email", "b@example.com", SuppressionReason.Manual, null, Ct);

        var added = await Store.AddManyAsync(Some.Workspace,
        [
            new("email", "a@example.com", SuppressionReason.Unsubscribe),
            new("email", "b@example.com", SuppressionReason.Unsubscribe),
            new("sms", "+4915112345678", SuppressionReason.HardBounce),
        ], "import", Ct);

        Assert.Equal(2, added);
        Assert.Equal(SuppressionReason.Manual, (await Store.GetAsync(Some.Workspace, "email", "b@example.com", Ct))!.Reason);
    }

    [Fact]
    public async Task The_list_pages_in_channel_and_address_order()
    {
        await Store.AddManyAsync(Some.Workspace,
        [
            new("sms", "+4915112345678", SuppressionReason.HardBounce),
            new("email", "c@example.com", SuppressionReason.Manual),
            new("email", "a@example.com", SuppressionReason.Manual),
            new("email", "b@example.com", SuppressionReason.Manual),
        ], null, Ct);

        var first = await Store.ListAsync(Some.Workspace, null, null, 3, Ct);
        var second = await Store.ListAsync(Some.Workspace, null, (first[^1].Channel, first[^1].Address), 3, Ct);

        Assert.Equal(["a@example.com", "b@example.com", "c@example.com"], first.Select(s => s.Address));
        Assert.Equal(["+4915112345678"], second.Select(s => s.Address));
    }

    [Fact]
    public async Task The_list_of_one_channel_leaves_the_others_out()
    {
        await Store.AddAsync(Some.Workspace, "sms", "+4915112345678", SuppressionReason.HardBounce, null, Ct);
        await Store.AddAsync(Some.Workspace, "email", "a@example.com", SuppressionReason.Manual, null, Ct);
        await Store.AddAsync(Some.OtherWorkspace, "sms", "+4915187654321", SuppressionReason.HardBounce, null, Ct);

        var sms = await Store.ListAsync(Some.Workspace, "sms", null, 10, Ct);

        Assert.Equal(["+4915112345678"], sms.Select(s => s.Address));
    }
}

public sealed class SqliteSuppressionStoreContract() : SuppressionStoreContract(new SqliteDatabases());

public sealed class PostgresSuppressionStoreContract(PostgresDatabases postgres) : SuppressionStoreContract(postgres);
