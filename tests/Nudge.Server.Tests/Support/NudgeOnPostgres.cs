using Nudge.Testing;

namespace Nudge.Server.Tests.Support;

/// <summary>The in-process Nudge on a throwaway PostgreSQL server instead of SQLite.</summary>
public sealed class NudgeOnPostgres : NudgeApi, IAsyncLifetime
{
    private PostgresServer? _server;
    private string? _connectionString;

    protected override (string Provider, string ConnectionString) Storage =>
        ("postgres", _connectionString ?? throw new InvalidOperationException("PostgreSQL is not started yet"));

    public async ValueTask InitializeAsync()
    {
        _server = await PostgresServer.StartAsync(CancellationToken.None);
        _connectionString = await _server.CreateDatabaseAsync("nudge", CancellationToken.None);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
