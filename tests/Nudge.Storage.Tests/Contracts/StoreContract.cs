using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nudge.Storage.Events;
using Nudge.Storage.Migrations;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

/// <summary>
/// The base of every store contract: a fresh, migrated database of the provider the concrete class
/// picks, a simulated clock, and writers (event logs, the derived-state writer) stopped when the test ends.
/// </summary>
public abstract class StoreContract(IDatabaseSource databases) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private DerivedStateWriter? _derivedState;

    protected FakeTimeProvider Time { get; } = new(Some.Start);

    protected Database Database { get; private set; } = null!;

    /// <summary>The one writer of profile states and cursors, started on first use.</summary>
    protected DerivedStateWriter DerivedState => _derivedState ??= Own(new DerivedStateWriter(Database));

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public virtual async ValueTask InitializeAsync()
    {
        Database = await databases.CreateAsync(Ct);
        await MigrateAsync(Database);
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
            await _owned[i].DisposeAsync();
        await databases.ReleaseAsync();
        GC.SuppressFinalize(this);
    }

    protected Task<Database> NewDatabaseAsync() => databases.CreateAsync(Ct);

    protected static Task<IReadOnlyList<string>> MigrateAsync(Database database) =>
        new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync(Ct);

    /// <summary>Starts an event log on the test's database, as the server does after migrating.</summary>
    protected async Task<EventLog> StartLogAsync()
    {
        var log = new EventLog(Database, new StorageOptions(), Time, new LogSignal(), NullLogger<EventLog>.Instance);
        Own(log);
        await log.StartAsync(Ct);
        return log;
    }

    /// <summary>Disposes <paramref name="disposable"/> when the test ends (disposing it earlier as well is fine).</summary>
    protected T Own<T>(T disposable) where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    protected static async Task<AppendOutcome> AppendAsync(EventLog log, EventToAppend e) => (await log.AppendAsync([e], Ct))[0];

    protected EventReader Reader => new(Database);
}
