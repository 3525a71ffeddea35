using Microsoft.Data.Sqlite;

namespace Nudge.Bench.Ingest;

/// <summary>
/// How many logged events the engine has not yet applied to profiles: per partition, the events after its
/// durable cursor. Read straight from the server's SQLite file (WAL lets a reader in beside the writer), so
/// it depends on the server's schema: <c>events(partition, seq)</c> and <c>partition_cursors</c>.
/// </summary>
internal sealed class EngineBacklog(string databaseFile)
{
    private const string Query = """
        WITH RECURSIVE parts(p) AS (SELECT 0 UNION ALL SELECT p + 1 FROM parts WHERE p < 63)
        SELECT COALESCE(SUM((
            SELECT COUNT(*) FROM events e
            WHERE e.partition = parts.p
              AND e.seq > COALESCE((SELECT c.seq FROM partition_cursors c WHERE c.partition = parts.p), 0))), 0)
        FROM parts
        """;

    public async Task<long?> CountAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = databaseFile,
                Pooling = false,
                DefaultTimeout = 30,
            }.ToString());
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = Query;
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }
        catch (SqliteException)
        {
            return null;
        }
    }
}
