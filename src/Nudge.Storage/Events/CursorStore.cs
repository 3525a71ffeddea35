namespace Nudge.Storage.Events;

/// <summary>How far each partition reader has delivered the log to the profiles.</summary>
public sealed class CursorStore(Database database)
{
    public async Task<long> GetAsync(int partition, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ScalarAsync<long?>("SELECT seq FROM partition_cursors WHERE partition = @p0", ct, partition) ?? 0;
    }

    public async Task SetAsync(int partition, long sequence, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "INSERT INTO partition_cursors (partition, seq) VALUES (@p0, @p1) ON CONFLICT (partition) DO UPDATE SET seq = excluded.seq",
            ct, partition, sequence);
    }
}
