using Nudge.Storage.Events;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class CursorStoreContract(IDatabaseSource databases) : StoreContract(databases)
{
    private CursorStore Store => new(Database, DerivedState);

    [Fact]
    public async Task A_partition_without_a_cursor_starts_at_zero()
    {
        Assert.Equal(0, await Store.GetAsync(7, Ct));
    }

    [Fact]
    public async Task A_stored_cursor_reads_back_and_moves_on()
    {
        await Store.SetAsync(7, 120, Ct);
        var first = await Store.GetAsync(7, Ct);

        await Store.SetAsync(7, 5_000_000_000, Ct);

        Assert.Equal((120, 5_000_000_000), (first, await Store.GetAsync(7, Ct)));
    }

    [Fact]
    public async Task Cursors_of_different_partitions_are_independent()
    {
        await Store.SetAsync(1, 10, Ct);
        await Store.SetAsync(2, 20, Ct);

        Assert.Equal((10, 20, 0), (await Store.GetAsync(1, Ct), await Store.GetAsync(2, Ct), await Store.GetAsync(3, Ct)));
    }
}

public sealed class SqliteCursorStoreContract() : CursorStoreContract(new SqliteDatabases());

public sealed class PostgresCursorStoreContract(PostgresDatabases postgres) : CursorStoreContract(postgres);
