using System.Buffers;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Nudge.Storage;

/// <summary>Opens connections to the configured database and hides the few dialect differences.</summary>
public sealed class Database
{
    private readonly string _connectionString;
    private readonly NpgsqlDataSource? _postgres;
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, SqliteSettings> _sqliteSettings = new();

    public Database(StorageProvider provider, string connectionString)
    {
        Provider = provider;
        if (provider == StorageProvider.Sqlite)
        {
            var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
            if (Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } folder)
                Directory.CreateDirectory(folder);
            _connectionString = builder.ToString();
            SqliteFile = Path.GetFullPath(builder.DataSource);
        }
        else
        {
            _connectionString = connectionString;
            _postgres = NpgsqlDataSource.Create(connectionString);
        }
    }

    public StorageProvider Provider { get; }

    /// <summary>
    /// SQLite has one writer at a time and makes the others sleep in its busy handler (up to 100 ms a try).
    /// Nudge's writers queue here instead, in process, and take turns without sleeping.
    /// </summary>
    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);

    /// <summary>Waits for this process's turn to write (SQLite only; PostgreSQL has row locks).</summary>
    public async ValueTask<WriteTurn> WriteTurnAsync(CancellationToken ct)
    {
        if (!IsSqlite)
            return default;
        await _sqliteWriter.WaitAsync(ct);
        return new WriteTurn(_sqliteWriter);
    }

    public bool IsSqlite => Provider == StorageProvider.Sqlite;

    /// <summary>
    /// What ends a claim's row selection: PostgreSQL's <c>FOR UPDATE SKIP LOCKED</c>, so concurrent claimers take different
    /// rows; nothing on SQLite, where the write turn already makes claims one at a time.
    /// </summary>
    public string SkipLocked => IsSqlite ? "" : " FOR UPDATE SKIP LOCKED";

    /// <summary>
    /// A condition holding <paramref name="column"/> to the keys of one parameter made by <see cref="KeyList"/>: the
    /// statement's text is the same for any number of keys, so it is parsed once however many are asked.
    /// </summary>
    public string InKeyList(string column, string parameter) =>
        IsSqlite ? $"{column} IN (SELECT value FROM json_each({parameter}))" : $"{column} = ANY({parameter})";

    /// <summary>The parameter value for <see cref="InKeyList"/>: a JSON array for SQLite, a text array for PostgreSQL.</summary>
    public object KeyList(IReadOnlyList<string> keys)
    {
        if (!IsSqlite)
            return keys.ToArray();
        var buffer = new ArrayBufferWriter<byte>(keys.Count * 40 + 2);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var key in keys)
                json.WriteStringValue(key);
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Claims rows with one <c>UPDATE ... RETURNING</c> statement in its own transaction, in the write turn, and reads
    /// what it returned.
    /// </summary>
    internal async Task<List<T>> ClaimAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken ct, params object?[] args)
    {
        using var turn = await WriteTurnAsync(ct);
        await using var connection = await OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var command = connection.Command(sql, args);
        command.Transaction = transaction;
        var claimed = new List<T>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                claimed.Add(read(reader));
        }
        await transaction.CommitAsync(ct);
        return claimed;
    }

    /// <summary>Full path of the SQLite database file; null for PostgreSQL.</summary>
    public string? SqliteFile { get; }

    /// <param name="ct">Cancellation.</param>
    /// <param name="derivedData">
    /// True for writes that can be rebuilt from the event log (profile state, cursors): SQLite then skips the
    /// fsync per commit. In WAL mode commits still reach the disk in order, with the next durable commit.
    /// </param>
    public async Task<DbConnection> OpenAsync(CancellationToken ct, bool derivedData = false)
    {
        if (_postgres is not null)
            return await _postgres.OpenConnectionAsync(ct);

        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await ConfigureAsync(connection, derivedData, ct);
        return connection;
    }

    /// <summary>
    /// Every connection waits for the single writer instead of failing with SQLITE_BUSY, and checkpoints run in the
    /// background (<see cref="WalCheckpoints"/>), not inside whichever commit crosses the threshold. Pooled connections
    /// keep their settings, so they are set once per underlying connection and only the durability is switched when it
    /// differs: parsing the pragmas on every open cost more than most of the queries it opened for.
    /// </summary>
    private async Task ConfigureAsync(SqliteConnection connection, bool derivedData, CancellationToken ct)
    {
        var synchronous = derivedData ? "PRAGMA synchronous = NORMAL;" : "PRAGMA synchronous = FULL;";
        if (!_sqliteSettings.TryGetValue(connection.Handle!, out var settings))
        {
            await connection.ExecuteAsync("PRAGMA busy_timeout = 10000; PRAGMA wal_autocheckpoint = 0; " + synchronous, ct);
            _sqliteSettings.AddOrUpdate(connection.Handle!, new SqliteSettings { DerivedData = derivedData });
        }
        else if (settings.DerivedData != derivedData)
        {
            await connection.ExecuteAsync(synchronous, ct);
            settings.DerivedData = derivedData;
        }
    }

    /// <summary>What a pooled SQLite connection was last set to; a pooled connection is used by one caller at a time.</summary>
    private sealed class SqliteSettings
    {
        public bool DerivedData { get; set; }
    }
}

/// <summary>A turn to write; disposing it lets the next writer go.</summary>
public readonly struct WriteTurn(SemaphoreSlim? gate) : IDisposable
{
    public void Dispose() => gate?.Release();
}
