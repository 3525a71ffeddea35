using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Nudge.Bench.Segments;

/// <summary>
/// Writes a shop's history straight into a migrated Nudge database: profiles and a log of track events spread
/// over the last 180 days, with partition cursors at the end (as if the engine had applied everything), so a
/// segment build has a realistic log to read without hours of ingestion first.
/// </summary>
internal static class SegmentHistory
{
    public const string Workspace = "demo";
    public static readonly string[] Categories = ["shoes", "shirts", "bags", "hats", "socks", "coats", "belts", "watches"];

    /// <summary>Event names and their share of the log.</summary>
    private static readonly (string Name, double Share)[] Names =
    [
        ("Product Viewed", 0.55), ("Product Added", 0.15), ("Checkout Started", 0.10), ("Order Completed", 0.05), ("Products Searched", 0.15),
    ];

    public static void Write(string databaseFile, int profiles, long events, DateTimeOffset now, int seed)
    {
        var random = new Random(seed);
        using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=false");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;");

        using (var transaction = connection.BeginTransaction())
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO profiles (id, workspace_id, state, search_text, last_seen, erased) VALUES ($id, $ws, $state, $id, $seen, 0)";
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            insert.Parameters.AddWithValue("$ws", Workspace);
            var state = insert.Parameters.Add("$state", SqliteType.Text);
            var seen = insert.Parameters.Add("$seen", SqliteType.Integer);
            insert.Prepare();
            for (var i = 0; i < profiles; i++)
            {
                id.Value = ProfileId(i);
                state.Value = $$"""{"id":"{{ProfileId(i)}}","workspaceId":"{{Workspace}}"}""";
                seen.Value = now.ToUnixTimeMilliseconds();
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }

        const int perTransaction = 200_000;
        var start = now.AddDays(-180).ToUnixTimeMilliseconds();
        var span = now.ToUnixTimeMilliseconds() - start;
        var body = new StringBuilder(256);
        for (long written = 0; written < events;)
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText =
                "INSERT INTO events (seq, workspace_id, message_id, profile_id, partition, type, name, timestamp, received_at, key_kind, body, identity) " +
                "VALUES ($seq, $ws, $mid, $pid, $part, 0, $name, $ts, $ts, 1, $body, NULL)";
            var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
            insert.Parameters.AddWithValue("$ws", Workspace);
            var mid = insert.Parameters.Add("$mid", SqliteType.Text);
            var pid = insert.Parameters.Add("$pid", SqliteType.Text);
            var part = insert.Parameters.Add("$part", SqliteType.Integer);
            var name = insert.Parameters.Add("$name", SqliteType.Text);
            var ts = insert.Parameters.Add("$ts", SqliteType.Integer);
            var json = insert.Parameters.Add("$body", SqliteType.Text);
            insert.Prepare();
            var end = Math.Min(events, written + perTransaction);
            for (; written < end; written++)
            {
                var profile = ProfileId(random.Next(profiles));
                var eventName = PickName(random.NextDouble());
                var at = start + (long)(random.NextDouble() * span);
                var category = Categories[random.Next(Categories.Length)];
                body.Clear().Append(CultureInfo.InvariantCulture,
                    $$$"""{"type":"track","event":"{{{eventName}}}","userId":"{{{profile}}}","messageId":"m{{{written + 1}}}","timestamp":"{{{DateTimeOffset.FromUnixTimeMilliseconds(at):O}}}","properties":{"product_id":"sku-{{{random.Next(2000)}}}","category":"{{{category}}}","price":{{{random.Next(5, 300)}}}.{{{random.Next(10, 99)}}},"currency":"EUR"}}""");
                seq.Value = written + 1;
                mid.Value = "m" + (written + 1).ToString(CultureInfo.InvariantCulture);
                pid.Value = profile;
                part.Value = Nudge.Storage.Events.Partitioning.Of(profile);
                name.Value = eventName;
                ts.Value = at;
                json.Value = body.ToString();
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }

        using var cursors = connection.CreateCommand();
        cursors.CommandText = "INSERT INTO partition_cursors (partition, seq) VALUES ($p, $s) ON CONFLICT (partition) DO UPDATE SET seq = excluded.seq";
        var p = cursors.Parameters.Add("$p", SqliteType.Integer);
        cursors.Parameters.AddWithValue("$s", events);
        for (var i = 0; i < Nudge.Storage.Events.Partitioning.Count; i++)
        {
            p.Value = i;
            cursors.ExecuteNonQuery();
        }
        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
    }

    public static string ProfileId(int i) => "prf_" + i.ToString("D8", CultureInfo.InvariantCulture);

    private static string PickName(double roll)
    {
        foreach (var (name, share) in Names)
        {
            if (roll < share)
                return name;
            roll -= share;
        }
        return Names[^1].Name;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
