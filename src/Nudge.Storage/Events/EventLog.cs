using System.Data.Common;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Nudge.Core.Identity;

namespace Nudge.Storage.Events;

/// <summary>
/// The durable, append-only event log. One writer task drains the requests of all concurrent callers,
/// writes them in one transaction (group commit), and completes each caller only after the commit:
/// an acknowledged event is on disk. De-duplication and identity resolution happen here, in the same
/// transaction, so every logged event already carries its profile (ADR 0003).
/// </summary>
public sealed partial class EventLog : IAsyncDisposable
{
    private const int MaxEventsPerGroup = 10_000;

    private readonly Database _database;
    private readonly TimeProvider _time;
    private readonly LogSignal _signal;
    private readonly ILogger<EventLog> _logger;
    private readonly RecentMessageIds _recent;
    private readonly TimeSpan _window;
    private readonly IdentityDirectory _identities = new();
    private readonly Channel<Request> _requests = Channel.CreateBounded<Request>(
        new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private Task? _writer;
    private long _lastSequence;

    public EventLog(Database database, StorageOptions options, TimeProvider time, LogSignal signal, ILogger<EventLog> logger)
    {
        _database = database;
        _time = time;
        _signal = signal;
        _logger = logger;
        _recent = new RecentMessageIds(options.DeduplicationWindow);
        _window = options.DeduplicationWindow;
    }

    /// <summary>Loads the recent message ids and starts the writer. Call once, after migrations.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        await using var connection = await _database.OpenAsync(ct);
        // An erasure may have deleted the newest events (SQLite then hands their numbers out again), and a
        // partition reader may already stand past them: never start below a cursor, or the reader skips events.
        _lastSequence = await connection.ScalarAsync<long?>(
            "SELECT MAX(seq) FROM (SELECT MAX(seq) AS seq FROM events UNION ALL SELECT MAX(seq) FROM partition_cursors) AS highest", ct) ?? 0;
        await LoadRecentMessageIdsAsync(connection, ct);
        // Not cancellable on purpose: whatever was enqueued is written before the log is disposed.
        _writer = Task.Run(() => WriteLoopAsync(CancellationToken.None), CancellationToken.None);
    }

    /// <summary>Appends the events durably; completes after they are committed.</summary>
    public async Task<AppendOutcome[]> AppendAsync(IReadOnlyList<EventToAppend> events, CancellationToken ct)
    {
        var done = new TaskCompletionSource<AppendOutcome[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _requests.Writer.WriteAsync(new AppendRequest(events, done), ct);
        return await done.Task;
    }

    /// <summary>Deletes a person's events and identities; later events with the same ids start a new profile.</summary>
    public async Task<ErasureResult> EraseProfileAsync(string workspaceId, string profileId, CancellationToken ct)
    {
        var done = new TaskCompletionSource<ErasureResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _requests.Writer.WriteAsync(new EraseRequest(workspaceId, profileId, done), ct);
        return await done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        if (_writer is not null)
            await _writer;
    }

    private async Task LoadRecentMessageIdsAsync(DbConnection connection, CancellationToken ct)
    {
        var since = (_time.GetUtcNow() - _window).ToUnixTimeMilliseconds();
        var recent = new List<(UInt128, long)>();
        // Newest first along the primary key, stopping at the window: no index on received_at needed.
        await using var command = connection.Command("SELECT workspace_id, message_id, received_at FROM events ORDER BY seq DESC");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var receivedAt = reader.GetInt64(2);
            if (receivedAt < since)
                break;
            recent.Add((RecentMessageIds.Key(reader.GetString(0), reader.GetString(1)), receivedAt));
        }

        for (var i = recent.Count - 1; i >= 0; i--)
            _recent.Add(recent[i].Item1, DateTimeOffset.FromUnixTimeMilliseconds(recent[i].Item2));
        _logger.LogInformation("Event log at sequence {Sequence}; {Count} message ids within the de-duplication window", _lastSequence, _recent.Count);
    }

    private async Task WriteLoopAsync(CancellationToken ct)
    {
        var group = new List<AppendRequest>();
        while (await _requests.Reader.WaitToReadAsync(CancellationToken.None))
        {
            group.Clear();
            var events = 0;
            while (events < MaxEventsPerGroup && _requests.Reader.TryRead(out var request))
            {
                if (request is EraseRequest erase)
                {
                    // Erasures run alone, after the appends that arrived before them.
                    await WriteGroupAsync(group, ct);
                    group.Clear();
                    events = 0;
                    await EraseAsync(erase, ct);
                    continue;
                }

                var append = (AppendRequest)request;
                group.Add(append);
                events += append.Events.Count;
            }

            await WriteGroupAsync(group, ct);
        }
    }

    private async Task WriteGroupAsync(List<AppendRequest> group, CancellationToken ct)
    {
        if (group.Count == 0)
            return;

        var firstSequence = _lastSequence;
        var outcomes = group.Select(r => new AppendOutcome[r.Events.Count]).ToArray();
        var added = new List<(UInt128 Key, DateTimeOffset At)>();
        try
        {
            // A pooled connection per group: a failed group cannot leave the next one a broken connection.
            using var turn = await _database.WriteTurnAsync(ct);
            await using var connection = await _database.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using var writer = new GroupWriter(this, connection, transaction);
            var inGroup = new HashSet<UInt128>();
            for (var r = 0; r < group.Count; r++)
            {
                var events = group[r].Events;
                for (var i = 0; i < events.Count; i++)
                {
                    var e = events[i];
                    var key = e.MessageKey;
                    if (_recent.Contains(key) || !inGroup.Add(key))
                    {
                        outcomes[r][i] = new AppendOutcome(true, 0, "");
                        continue;
                    }

                    outcomes[r][i] = await writer.WriteAsync(e, ct);
                    if (!outcomes[r][i].Duplicate)
                        added.Add((key, e.Message.ReceivedAt));
                }
            }

            await transaction.CommitAsync(ct);
        }
        catch (Exception ex)
        {
            _lastSequence = firstSequence;
            _identities.Rollback();
            Log.GroupFailed(_logger, ex, group.Count);
            foreach (var request in group)
                request.Done.TrySetException(ex);
            return;
        }

        _identities.Commit();
        foreach (var (key, at) in added)
            _recent.Add(key, at);
        _recent.Expire(_time.GetUtcNow());
        _signal.Notify();
        for (var r = 0; r < group.Count; r++)
            group[r].Done.TrySetResult(outcomes[r]);
    }

    private async Task EraseAsync(EraseRequest request, CancellationToken ct)
    {
        try
        {
            using var turn = await _database.WriteTurnAsync(ct);
            await using var connection = await _database.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var ids = await ProfileFamily.IdsAsync(connection, transaction, request.ProfileId, ct);
            var deleted = 0;
            foreach (var id in ids)
            {
                deleted += await Exec(connection, transaction, "DELETE FROM events WHERE partition = @p0 AND profile_id = @p1", ct, Partitioning.Of(id), id);
                await Exec(connection, transaction, "DELETE FROM identities WHERE profile_id = @p0", ct, id);
                await Exec(connection, transaction, "DELETE FROM profile_merges WHERE absorbed_id = @p0 OR survivor_id = @p0", ct, id);
            }
            await Exec(connection, transaction,
                "INSERT INTO erasures (workspace_id, profile_id, erased_at, events_deleted) VALUES (@p0, @p1, @p2, @p3)",
                ct, request.WorkspaceId, request.ProfileId, _time.GetUtcNow().ToUnixTimeMilliseconds(), deleted);
            await transaction.CommitAsync(ct);
            _identities.Clear();
            request.Done.TrySetResult(new ErasureResult(ids, deleted));
        }
        catch (Exception ex)
        {
            _identities.Rollback();
            request.Done.TrySetException(ex);
        }
    }

    private static async Task<int> Exec(DbConnection connection, DbTransaction transaction, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        command.Transaction = transaction;
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static string? IdentityJson(EventIdentity identity) =>
        identity.IsEmpty ? null : JsonSerializer.Serialize(identity, StorageJsonContext.Default.EventIdentity);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Writing a group of {Requests} requests to the event log failed; nothing of it was acknowledged")]
        public static partial void GroupFailed(ILogger logger, Exception exception, int requests);
    }
}
