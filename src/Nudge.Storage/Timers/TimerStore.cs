namespace Nudge.Storage.Timers;

/// <summary>
/// The table of future wake-ups, indexed by due time: due rows are claimed in batches instead of scanning
/// profiles (DESIGN.md, "Timers").
/// </summary>
public sealed class TimerStore(Database database)
{
    /// <summary>Timers due at or before <paramref name="now"/>, earliest first, after skipping the first <paramref name="skip"/>.</summary>
    public async Task<IReadOnlyList<DueTimer>> DueAsync(DateTimeOffset now, int limit, CancellationToken ct, int skip = 0)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT profile_id, kind, timer_key, due FROM timers WHERE due <= @p0 ORDER BY due LIMIT @p1 OFFSET @p2",
            now.ToUnixTimeMilliseconds(), limit, skip);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var due = new List<DueTimer>();
        while (await reader.ReadAsync(ct))
            due.Add(new DueTimer(reader.GetString(0), reader.GetString(1), reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        return due;
    }

    /// <summary>The earliest pending moment, or null when nothing is scheduled.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var next = await connection.ScalarAsync<long?>("SELECT MIN(due) FROM timers", ct);
        return next is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>Removes fired timers, in one transaction, except those moved to another moment meanwhile.</summary>
    public async Task CompleteAsync(IReadOnlyCollection<DueTimer> fired, CancellationToken ct)
    {
        if (fired.Count == 0)
            return;
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct, derivedData: true);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var delete = connection.Reusable(transaction,
            "DELETE FROM timers WHERE profile_id = @p0 AND kind = @p1 AND timer_key = @p2 AND due = @p3", 4);
        foreach (var timer in fired)
            await delete.RunAsync(ct, timer.ProfileId, timer.Kind, timer.Key, timer.Due.ToUnixTimeMilliseconds());
        await transaction.CommitAsync(ct);
    }
}
