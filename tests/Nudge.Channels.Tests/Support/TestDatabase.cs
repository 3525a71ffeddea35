using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Nudge.Storage;
using Nudge.Storage.Migrations;

namespace Nudge.Channels.Tests.Support;

/// <summary>A migrated SQLite database in a temp folder of its own, for the channels' stores.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly DirectoryInfo _folder;

    private TestDatabase(DirectoryInfo folder, Database database)
    {
        _folder = folder;
        Database = database;
    }

    public Database Database { get; }

    public static async Task<TestDatabase> CreateAsync(CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("nudge-channels-");
        var database = new Database(StorageProvider.Sqlite, $"Data Source={Path.Combine(folder.FullName, "nudge.db")}");
        await new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync(ct);
        return new TestDatabase(folder, database);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
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
