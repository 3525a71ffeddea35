using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nudge.Storage.Events;
using Nudge.Storage.Migrations;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

/// <summary>
/// The base of every store contract: a fresh, migrated database of the provider the concrete class
/// picks, a simulated clock, and event logs that are stopped when the test ends.
/// </summary>
public abstract class StoreContract(IDatabaseSource databases) : IAsyncLifetime
{
    private readonly List<EventLog> _logs = [];

    protected FakeTimeProvider Time { get; } = new(Some.Start);

    protected Database Database { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public virtual async ValueTask InitializeAsync()
    {
        Database = await databases.CreateAsync(Ct);
        await MigrateAsync(Database);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var log in _logs)
            await log.DisposeAsync();
        await databases.ReleaseAsync();
        GC.SuppressFinalize(this);
    }

    protected Task<Database> NewDatabaseAsync() => databases.CreateAsync(Ct);

    protected static Task<IReadOnlyList<string>> MigrateAsync(Database database) =>
        new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync(Ct);

    /// <summary>Starts an event log on the test's database, as the server does after migrating.</summary>
    protected async Task<EventLog> StartLogAsync(TimeSpan? deduplicationWindow = null)
    {
        var options = new StorageOptions { DeduplicationWindow = deduplicationWindow ?? TimeSpan.FromDays(1) };
        var log = new EventLog(Database, options, Time, new LogSignal(), NullLogger<EventLog>.Instance);
        _logs.Add(log);
        await log.StartAsync(Ct);
        return log;
    }

    protected static async Task<AppendOutcome> AppendAsync(EventLog log, EventToAppend e) => (await log.AppendAsync([e], Ct))[0];

    protected EventReader Reader => new(Database);
}
