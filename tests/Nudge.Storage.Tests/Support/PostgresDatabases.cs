using System.Globalization;
using Npgsql;
using Nudge.Storage.Tests.Support;
using Nudge.Testing;

[assembly: AssemblyFixture(typeof(PostgresDatabases))]

namespace Nudge.Storage.Tests.Support;

/// <summary>
/// One throwaway PostgreSQL server per test run, started when the first test asks for a database.
/// Every test gets a schema of its own in one shared database, first on its search path: as empty as a
/// new database for the stores (tables, sequences and indexes are per schema), at a fraction of the cost
/// of CREATE DATABASE, which dominated the run on small machines. Should a migration ever need a
/// database-wide object (an extension), give each test its own database instead.
/// </summary>
public sealed class PostgresDatabases : IDatabaseSource, IAsyncDisposable
{
    private readonly Lazy<Task<(PostgresServer Server, NpgsqlDataSource Admin)>> _started = new(StartAsync);
    private int _count;

    public async Task<Database> CreateAsync(CancellationToken ct)
    {
        var (_, admin) = await _started.Value.WaitAsync(ct);
        var schema = "test_" + Interlocked.Increment(ref _count).ToString(CultureInfo.InvariantCulture);
        await using (var create = admin.CreateCommand($"CREATE SCHEMA {schema}"))
            await create.ExecuteNonQueryAsync(ct);

        var connectionString = new NpgsqlConnectionStringBuilder(admin.ConnectionString)
        {
            SearchPath = schema,
            ApplicationName = schema,
            // Each Database keeps its own pool; close idle connections soon, so finished tests hold none
            // and the server's connection limit is never reached.
            ConnectionIdleLifetime = 2,
            ConnectionPruningInterval = 1,
        }.ConnectionString;
        return new Database(StorageProvider.Postgres, connectionString);
    }

    /// <summary>The schemas stay until the server goes at the end of the run.</summary>
    public ValueTask ReleaseAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (!_started.IsValueCreated || !_started.Value.IsCompletedSuccessfully)
            return;

        var (server, admin) = _started.Value.Result;
        await admin.DisposeAsync();
        await server.DisposeAsync();
    }

    private static async Task<(PostgresServer, NpgsqlDataSource)> StartAsync()
    {
        var server = await PostgresServer.StartAsync(CancellationToken.None);
        var connectionString = await server.CreateDatabaseAsync("contracts", CancellationToken.None);
        return (server, NpgsqlDataSource.Create(connectionString));
    }
}
