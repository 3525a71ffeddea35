using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Nudge.Bench.Ingest;

/// <summary>How fast a plain insert of the same rows ran.</summary>
internal sealed record BaselineResult(int Rows, TimeSpan Elapsed)
{
    public double RowsPerSecond => Rows / Elapsed.TotalSeconds;
}

/// <summary>
/// The yardstick: the same events inserted the plain way, one row each, in transactions of 1,000 rows with a
/// prepared command, WAL and synchronous=FULL like the server, and a UNIQUE index on message_id for
/// de-duplication. Every random message id lands on a random index page, which is what makes this slow.
/// </summary>
internal static class SqliteBaseline
{
    public const int RowsPerTransaction = 1_000;

    private const string Schema = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            workspace_id TEXT NOT NULL,
            message_id TEXT NOT NULL,
            user_id TEXT,
            anonymous_id TEXT NOT NULL,
            type TEXT NOT NULL,
            name TEXT,
            timestamp INTEGER NOT NULL,
            received_at INTEGER NOT NULL,
            body TEXT NOT NULL
        );
        CREATE UNIQUE INDEX events_by_message_id ON events (message_id);
        """;

    /// <param name="batches">The events, in the order the server got them.</param>
    /// <param name="rows">How many of them to insert.</param>
    /// <param name="timeOrderedKeys">Replace the random message ids by UUID v7 ones, for comparison.</param>
    /// <param name="folder">Where to create the throw-away database.</param>
    public static BaselineResult Run(IReadOnlyList<PayloadBatch> batches, int rows, bool timeOrderedKeys, string folder)
    {
        var file = Path.Combine(folder, $"baseline-{Guid.NewGuid():N}.db");
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
            connection.Open();
            using (var schema = connection.CreateCommand())
            {
                schema.CommandText = Schema;
                schema.ExecuteNonQuery();
            }

            return Insert(connection, batches, rows, timeOrderedKeys);
        }
        finally
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                File.Delete(file + suffix);
        }
    }

    private static BaselineResult Insert(SqliteConnection connection, IReadOnlyList<PayloadBatch> batches, int rows, bool timeOrderedKeys)
    {
        using var insert = connection.CreateCommand();
        insert.CommandText =
            "INSERT INTO events (workspace_id, message_id, user_id, anonymous_id, type, name, timestamp, received_at, body) " +
            "VALUES ($workspace, $message, $user, $anonymous, $type, $name, $timestamp, $received, $body)";
        var workspace = insert.Parameters.Add("$workspace", SqliteType.Text);
        var message = insert.Parameters.Add("$message", SqliteType.Text);
        var user = insert.Parameters.Add("$user", SqliteType.Text);
        var anonymous = insert.Parameters.Add("$anonymous", SqliteType.Text);
        var type = insert.Parameters.Add("$type", SqliteType.Text);
        var name = insert.Parameters.Add("$name", SqliteType.Text);
        var timestamp = insert.Parameters.Add("$timestamp", SqliteType.Integer);
        var received = insert.Parameters.Add("$received", SqliteType.Integer);
        var body = insert.Parameters.Add("$body", SqliteType.Text);
        workspace.Value = "ws_bench";
        insert.Prepare();

        var started = Stopwatch.GetTimestamp();
        var written = 0;
        SqliteTransaction? transaction = null;
        foreach (var batch in batches)
        {
            foreach (var row in batch.Rows)
            {
                if (written == rows)
                    break;
                if (transaction is null)
                {
                    transaction = connection.BeginTransaction();
                    insert.Transaction = transaction;
                }

                message.Value = (timeOrderedKeys ? Guid.CreateVersion7() : row.MessageId).ToString();
                user.Value = (object?)row.UserId ?? DBNull.Value;
                anonymous.Value = row.AnonymousId;
                type.Value = row.Type;
                name.Value = (object?)row.Name ?? DBNull.Value;
                timestamp.Value = row.TimestampMs;
                received.Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                body.Value = Encoding.UTF8.GetString(batch.Body, row.Offset, row.Length);
                insert.ExecuteNonQuery();
                if (++written % RowsPerTransaction == 0)
                {
                    transaction.Commit();
                    transaction.Dispose();
                    transaction = null;
                }
            }
        }

        transaction?.Commit();
        transaction?.Dispose();
        return new BaselineResult(written, Stopwatch.GetElapsedTime(started));
    }
}
