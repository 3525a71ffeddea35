namespace Nudge.Storage.Events;

/// <summary>How far each partition reader has delivered the log to the profiles.</summary>
public sealed class CursorStore(Database database, DerivedStateWriter writer)
{
    public async Task<long> GetAsync(int partition, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ScalarAsync<long?>("SELECT seq FROM partition_cursors WHERE partition = @p0", ct, partition) ?? 0;
    }

    /// <summary>Records the partition's position; shares group commits with profile saves.</summary>
    public Task SetAsync(int partition, long sequence, CancellationToken ct) => writer.SetCursorAsync(partition, sequence, ct);
}
