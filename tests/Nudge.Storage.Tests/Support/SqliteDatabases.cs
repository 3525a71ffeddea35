using Microsoft.Data.Sqlite;

namespace Nudge.Storage.Tests.Support;

/// <summary>SQLite files in a temporary folder of their own, deleted when the test is done.</summary>
public sealed class SqliteDatabases : IDatabaseSource
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("nudge-sqlite-");
    private readonly List<string> _connectionStrings = [];

    public Task<Database> CreateAsync(CancellationToken ct)
    {
        var file = Path.Combine(_folder.FullName, $"nudge-{_connectionStrings.Count}.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file }.ToString();
        _connectionStrings.Add(connectionString);
        return Task.FromResult(new Database(StorageProvider.Sqlite, connectionString));
    }

    public ValueTask ReleaseAsync()
    {
        // Database pools its connections; close the idle ones so the files can go.
        foreach (var connectionString in _connectionStrings)
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = true }.ToString());
            SqliteConnection.ClearPool(connection);
        }

        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }

        return ValueTask.CompletedTask;
    }
}
