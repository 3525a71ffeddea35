using System.Globalization;
using Nudge.Storage.Tests.Support;
using Nudge.Testing;

[assembly: AssemblyFixture(typeof(PostgresDatabases))]

namespace Nudge.Storage.Tests.Support;

/// <summary>
/// One throwaway PostgreSQL server per test run, started when the first test asks for a database;
/// every test gets a database of its own in it.
/// </summary>
public sealed class PostgresDatabases : IDatabaseSource, IAsyncDisposable
{
    private readonly Lazy<Task<PostgresServer>> _server = new(() => PostgresServer.StartAsync(CancellationToken.None));

    // CREATE DATABASE copies template1, and PostgreSQL refuses to copy it while another copy is under way.
    private readonly SemaphoreSlim _creating = new(1, 1);
    private int _count;

    public async Task<Database> CreateAsync(CancellationToken ct)
    {
        var server = await _server.Value.WaitAsync(ct);
        var name = "contract_" + Interlocked.Increment(ref _count).ToString(CultureInfo.InvariantCulture);
        await _creating.WaitAsync(ct);
        try
        {
            return new Database(StorageProvider.Postgres, await server.CreateDatabaseAsync(name, ct));
        }
        finally
        {
            _creating.Release();
        }
    }

    /// <summary>The databases stay until the server goes at the end of the run.</summary>
    public ValueTask ReleaseAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _creating.Dispose();
        if (_server.IsValueCreated && _server.Value.IsCompletedSuccessfully)
            await _server.Value.Result.DisposeAsync();
    }
}
