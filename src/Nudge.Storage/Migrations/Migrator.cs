using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Nudge.Storage.Migrations;

/// <summary>
/// Applies the numbered SQL scripts under <c>Migrations/{provider}/</c> that the database has not seen yet,
/// each in its own transaction, and records them in <c>schema_migrations</c>.
/// </summary>
public sealed class Migrator(Database database, ILogger<Migrator> logger)
{
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        if (database.IsSqlite)
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL;", ct);

        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)", ct);

        var applied = new HashSet<string>();
        await using (var command = connection.Command("SELECT version FROM schema_migrations"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                applied.Add(reader.GetString(0));
        }

        var newlyApplied = new List<string>();
        foreach (var (version, sql) in Scripts(database.Provider))
        {
            if (applied.Contains(version))
                continue;

            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using (var command = connection.Command(sql))
            {
                command.Transaction = transaction;
                await command.ExecuteNonQueryAsync(ct);
            }
            await using (var record = connection.Command(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (@p0, @p1)", version, DateTimeOffset.UtcNow.ToString("O")))
            {
                record.Transaction = transaction;
                await record.ExecuteNonQueryAsync(ct);
            }
            await transaction.CommitAsync(ct);
            logger.LogInformation("Applied migration {Version}", version);
            newlyApplied.Add(version);
        }

        return newlyApplied;
    }

    private static IEnumerable<(string Version, string Sql)> Scripts(StorageProvider provider)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var prefix = $"{assembly.GetName().Name}.Migrations.{provider.ToString().ToLowerInvariant()}.";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order())
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (name[prefix.Length..^".sql".Length], reader.ReadToEnd());
        }
    }
}
