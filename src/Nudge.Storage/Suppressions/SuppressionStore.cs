using System.Data.Common;
using System.Globalization;
using Nudge.Core.Consent;

namespace Nudge.Storage.Suppressions;

/// <summary>
/// The suppression list: per workspace and channel, the addresses no send may reach (hard bounces, complaints,
/// manual blocks, unsubscribes from elsewhere). Addresses are taken as given: callers normalize them with
/// <see cref="SuppressionAddress.Normalize"/> first, so that every spelling of an address is one row.
/// </summary>
/// <remarks>
/// Adding an address that is already suppressed keeps the first row: its reason and time say when sending
/// to it first had to stop, and imports can be run again without changing anything.
/// </remarks>
public sealed class SuppressionStore(Database database, TimeProvider time)
{
    // Well below both providers' parameter limits; one statement per chunk.
    private const int LookupChunk = 500;

    // Rows per transaction of a bulk add: the SQLite write turn is held for one chunk, not a whole import.
    private const int WriteChunk = 1000;

    private const string Columns = "workspace_id, channel, address, reason, source, created_at";

    /// <summary>True when no send may reach <paramref name="address"/> (normalized) on <paramref name="channel"/>.</summary>
    public async Task<bool> IsSuppressedAsync(string workspaceId, string channel, string address, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ScalarAsync<long?>(
            "SELECT 1 FROM suppressions WHERE workspace_id = @p0 AND channel = @p1 AND address = @p2", ct, workspaceId, channel, address) is not null;
    }

    /// <summary>The ones of <paramref name="addresses"/> (normalized) that are suppressed on <paramref name="channel"/>, for batched sends.</summary>
    public async Task<IReadOnlySet<string>> FilterAsync(string workspaceId, string channel, IEnumerable<string> addresses, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var suppressed = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await database.OpenAsync(ct);
        foreach (var chunk in addresses.Distinct(StringComparer.Ordinal).Chunk(LookupChunk))
        {
            var names = string.Join(", ", Enumerable.Range(2, chunk.Length).Select(i => "@p" + i.ToString(CultureInfo.InvariantCulture)));
            await using var command = connection.Command(
                $"SELECT address FROM suppressions WHERE workspace_id = @p0 AND channel = @p1 AND address IN ({names})",
                [workspaceId, channel, .. chunk]);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                suppressed.Add(reader.GetString(0));
        }
        return suppressed;
    }

    /// <summary>Suppresses an address; when it already was, the existing row stays and is returned with <c>Added</c> false.</summary>
    public async Task<(Suppression Suppression, bool Added)> AddAsync(
        string workspaceId, string channel, string address, SuppressionReason reason, string? source, CancellationToken ct)
    {
        int added;
        using (await database.WriteTurnAsync(ct))
        {
            await using var connection = await database.OpenAsync(ct);
            added = await connection.ExecuteAsync(
                $"INSERT INTO suppressions ({Columns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5) ON CONFLICT (workspace_id, channel, address) DO NOTHING",
                ct, workspaceId, channel, address, SuppressionReasons.Name(reason), source, time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        var stored = await GetAsync(workspaceId, channel, address, ct)
            ?? throw new InvalidOperationException("A suppression just written could not be read back.");
        return (stored, added == 1);
    }

    /// <summary>Suppresses many addresses (an import); returns how many were not suppressed before.</summary>
    public async Task<int> AddManyAsync(string workspaceId, IEnumerable<SuppressionRequest> requests, string? source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var added = 0;
        foreach (var chunk in requests.Chunk(WriteChunk))
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            using var turn = await database.WriteTurnAsync(ct);
            await using var connection = await database.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using var insert = connection.Reusable(transaction,
                $"INSERT INTO suppressions ({Columns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5) ON CONFLICT (workspace_id, channel, address) DO NOTHING", 6);
            foreach (var request in chunk)
                added += await insert.RunAsync(ct, workspaceId, request.Channel, request.Address, SuppressionReasons.Name(request.Reason), source, now);
            await transaction.CommitAsync(ct);
        }
        return added;
    }

    /// <summary>Lifts a suppression; true when there was one.</summary>
    public async Task<bool> RemoveAsync(string workspaceId, string channel, string address, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(
            "DELETE FROM suppressions WHERE workspace_id = @p0 AND channel = @p1 AND address = @p2", ct, workspaceId, channel, address) == 1;
    }

    public async Task<Suppression?> GetAsync(string workspaceId, string channel, string address, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await ReadAsync(connection,
            $"SELECT {Columns} FROM suppressions WHERE workspace_id = @p0 AND channel = @p1 AND address = @p2", ct, workspaceId, channel, address);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>
    /// A page of the list in (channel, address) order, after the row <paramref name="after"/> names; only one channel's
    /// rows when <paramref name="channel"/> is given.
    /// </summary>
    public async Task<IReadOnlyList<Suppression>> ListAsync(
        string workspaceId, string? channel, (string Channel, string Address)? after, int limit, CancellationToken ct)
    {
        var (afterChannel, afterAddress) = after ?? ("", "");
        await using var connection = await database.OpenAsync(ct);
        return await ReadAsync(connection,
            $"SELECT {Columns} FROM suppressions WHERE workspace_id = @p0 AND (channel, address) > (@p1, @p2) " +
            (channel is null ? "" : "AND channel = @p4 ") +
            "ORDER BY channel, address LIMIT @p3",
            ct, [workspaceId, afterChannel, afterAddress, limit, .. channel is null ? Array.Empty<object?>() : [channel]]);
    }

    private static async Task<IReadOnlyList<Suppression>> ReadAsync(DbConnection connection, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<Suppression>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new Suppression(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                SuppressionReasons.Parse(reader.GetString(3)) ?? SuppressionReason.Manual,
                reader.NullableString(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        }
        return rows;
    }
}
