using Npgsql;
using Nudge.Testing;

namespace Nudge.Storage.Tests.Support;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task Throwaway_postgres_accepts_connections_and_creates_databases()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        string dataFolder;
        await using (var server = await PostgresServer.StartAsync(cancellationToken))
        {
            var connectionString = await server.CreateDatabaseAsync("nudge_smoke", cancellationToken);

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var select = new NpgsqlCommand("SELECT 1", connection);
            Assert.Equal(1, await select.ExecuteScalarAsync(cancellationToken));
            Assert.Equal("nudge_smoke", connection.Database);
            Assert.Equal(server.Port, new NpgsqlConnectionStringBuilder(connectionString).Port);

            await using var current = new NpgsqlCommand("SELECT current_setting('data_directory')", connection);
            dataFolder = (string)(await current.ExecuteScalarAsync(cancellationToken))!;
        }

        Assert.False(Directory.Exists(dataFolder), $"{dataFolder} should be deleted when the server is disposed");
    }

    [Fact]
    public async Task Database_names_that_are_not_plain_identifiers_are_refused()
    {
        await using var server = await PostgresServer.StartAsync(TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<ArgumentException>(() => server.CreateDatabaseAsync("bad\"; DROP", TestContext.Current.CancellationToken));
    }
}
