using System.Data.Common;
using System.Text.Json;
using System.Threading.Channels;
using Nudge.Core.Profiles;
using Nudge.Storage.Flows;
using Nudge.Storage.Lists;
using Nudge.Storage.Segments;

namespace Nudge.Storage;

/// <summary>
/// The one writer of state derived from the event log: profile states, flow run moves and partition cursors. Thousands of
/// grains and 64 partition readers writing on their own would each queue a transaction behind SQLite's
/// single writer lock (and block a thread pool thread while waiting); here their writes share group
/// commits instead. A write completes once its transaction committed.
/// </summary>
/// <remarks>
/// Run moves carry the messages people wait for, so they have a queue of their own that is always taken first: they
/// wait at most for the group in progress, never behind a checkpoint's hundreds of profile saves. Groups of profile
/// saves stay small for the same reason.
/// </remarks>
public sealed class DerivedStateWriter : IAsyncDisposable
{
    private const int MaxRunWritesPerGroup = 500;
    private const int MaxStateWritesPerGroup = 128;

    private readonly Database _database;
    private readonly Channel<(object Write, TaskCompletionSource Done)> _runWrites = NewQueue();
    private readonly Channel<(object Write, TaskCompletionSource Done)> _stateWrites = NewQueue();
    private readonly Task _writer;
    private Task<bool>? _runsWait;
    private Task<bool>? _stateWait;

    public DerivedStateWriter(Database database)
    {
        _database = database;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Saves a profile's state.</summary>
    public Task SaveProfileAsync(Profile profile, CancellationToken ct) => EnqueueAsync(_stateWrites, profile, ct);

    /// <summary>Saves a profile's state, its segment changes and its list membership changes in the same transaction.</summary>
    public Task SaveProfileAsync(Profile profile, SegmentStateChanges? segments, ListMembershipChanges? lists, CancellationToken ct)
    {
        segments = segments is null || segments.IsEmpty ? null : segments;
        lists = lists is null || lists.IsEmpty ? null : lists;
        return EnqueueAsync(_stateWrites, segments is null && lists is null ? profile : new ProfileWithChanges(profile, segments, lists), ct);
    }

    /// <summary>Saves moves of flow runs (run, history, outbox rows, wake-up); each move is whole in the shared commit.</summary>
    public Task SaveRunsAsync(IReadOnlyCollection<RunWrite> runs, CancellationToken ct) =>
        runs.Count == 0 ? Task.CompletedTask : EnqueueAsync(_runWrites, new RunWrites(runs), ct);

    /// <summary>Records how far a partition has been delivered.</summary>
    public Task SetCursorAsync(int partition, long sequence, CancellationToken ct) => EnqueueAsync(_stateWrites, new Cursor(partition, sequence), ct);

    public async ValueTask DisposeAsync()
    {
        _runWrites.Writer.TryComplete();
        _stateWrites.Writer.TryComplete();
        await _writer;
    }

    private static Channel<(object Write, TaskCompletionSource Done)> NewQueue() =>
        Channel.CreateBounded<(object, TaskCompletionSource)>(new BoundedChannelOptions(8192) { SingleReader = true });

    private static async Task EnqueueAsync(Channel<(object Write, TaskCompletionSource Done)> queue, object write, CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await queue.Writer.WriteAsync((write, done), ct);
        await done.Task;
    }

    /// <summary>Waits until either queue holds a write; false once both are completed and empty.</summary>
    /// <remarks>A wait that is still pending is kept for the next call, so waits do not pile up on the idle queue.</remarks>
    private async Task<bool> WaitForWritesAsync()
    {
        while (true)
        {
            if (_runWrites.Reader.TryPeek(out _) || _stateWrites.Reader.TryPeek(out _))
                return true;
            if (_runsWait is null || _runsWait.IsCompleted)
                _runsWait = _runWrites.Reader.WaitToReadAsync().AsTask();
            if (_stateWait is null || _stateWait.IsCompleted)
                _stateWait = _stateWrites.Reader.WaitToReadAsync().AsTask();
            await Task.WhenAny(_runsWait, _stateWait);
            // Both queues are completed together, on disposal.
            if (_runWrites.Reader.Completion.IsCompleted && _stateWrites.Reader.Completion.IsCompleted)
                return false;
        }
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<(object Write, TaskCompletionSource Done)>();
        while (await WaitForWritesAsync())
        {
            group.Clear();
            while (group.Count < MaxRunWritesPerGroup && _runWrites.Reader.TryRead(out var write))
                group.Add(write);
            var runWrites = group.Count;
            while (group.Count - runWrites < MaxStateWritesPerGroup && _stateWrites.Reader.TryRead(out var write))
                group.Add(write);

            try
            {
                await WriteAsync(group.Select(w => w.Write).ToList());
                foreach (var (_, done) in group)
                    done.TrySetResult();
            }
            catch (Exception ex)
            {
                foreach (var (_, done) in group)
                    done.TrySetException(ex);
            }
        }
    }

    private async Task WriteAsync(List<object> writes)
    {
        // Later writes of the same profile or cursor in one group supersede earlier ones. Profiles are
        // serialized before taking the write turn, so the event log's writer never waits for JSON work.
        var profiles = writes.Select(w => w is ProfileWithChanges both ? both.Profile : w as Profile).OfType<Profile>()
            .Reverse().DistinctBy(p => p.Id).Select(p => ProfileRow.Of(p, utf8State: _database.IsSqlite)).ToList();
        // Segment and list changes are deltas: all of them are written, in the order they came.
        var segmentChanges = writes.OfType<ProfileWithChanges>().Select(w => w.Segments).OfType<SegmentStateChanges>().ToList();
        var listChanges = writes.OfType<ProfileWithChanges>().Select(w => w.Lists).OfType<ListMembershipChanges>().ToList();
        var cursors = writes.OfType<Cursor>().Reverse().DistinctBy(c => c.Partition).ToList();
        // Run moves are written in the order they came: a later move of the same run supersedes an earlier one.
        var runs = writes.OfType<RunWrites>().SelectMany(w => w.Runs).ToList();

        using var turn = await _database.WriteTurnAsync(CancellationToken.None);
        await using var connection = await _database.OpenAsync(CancellationToken.None, derivedData: true);
        if (runs.Count > 0 && profiles.Count > 0)
        {
            // Run moves carry the messages people wait for: committed on their own first, they do not wait for a
            // checkpoint's hundreds of profile saves. Cursors stay with the profiles they vouch for.
            await using var first = await connection.BeginTransactionAsync();
            await FlowRunStore.WriteAsync(connection, first, runs, CancellationToken.None);
            await first.CommitAsync();
            runs.Clear();
        }
        await using var transaction = await connection.BeginTransactionAsync();
        if (runs.Count > 0)
            await FlowRunStore.WriteAsync(connection, transaction, runs, CancellationToken.None);
        if (profiles.Count > 0)
            await SaveProfilesAsync(connection, transaction, profiles);
        if (segmentChanges.Count > 0)
            await SegmentStateWrites.WriteAsync(connection, transaction, segmentChanges);
        if (listChanges.Count > 0)
            await ListMembershipWrites.WriteAsync(connection, transaction, listChanges);
        if (cursors.Count > 0)
            await SaveCursorsAsync(connection, transaction, cursors);
        await transaction.CommitAsync();
    }

    private static async Task SaveProfilesAsync(DbConnection connection, DbTransaction transaction, List<ProfileRow> profiles)
    {
        await using var command = connection.Command(
            // SQLite gets the JSON as UTF-8 bytes; the cast stores them as TEXT without transcoding.
            "INSERT INTO profiles (id, workspace_id, state, search_text, last_seen, erased) VALUES (@p0, @p1, CAST(@p2 AS TEXT), @p3, @p4, 0) " +
            "ON CONFLICT (id) DO UPDATE SET state = excluded.state, search_text = excluded.search_text, last_seen = excluded.last_seen " +
            "WHERE profiles.erased = 0",
            new object?[5]);
        command.Transaction = transaction;
        foreach (var profile in profiles)
        {
            command.Parameters[0].Value = profile.Id;
            command.Parameters[1].Value = profile.WorkspaceId;
            command.Parameters[2].Value = profile.State;
            command.Parameters[3].Value = profile.SearchText;
            command.Parameters[4].Value = (object?)profile.LastSeen ?? DBNull.Value;
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task SaveCursorsAsync(DbConnection connection, DbTransaction transaction, List<Cursor> cursors)
    {
        await using var command = connection.Command(
            "INSERT INTO partition_cursors (partition, seq) VALUES (@p0, @p1) ON CONFLICT (partition) DO UPDATE SET seq = excluded.seq",
            new object?[2]);
        command.Transaction = transaction;
        foreach (var cursor in cursors)
        {
            command.Parameters[0].Value = cursor.Partition;
            command.Parameters[1].Value = cursor.Sequence;
            await command.ExecuteNonQueryAsync();
        }
    }

    private sealed record Cursor(int Partition, long Sequence);

    private sealed record RunWrites(IReadOnlyCollection<RunWrite> Runs);

    private sealed record ProfileWithChanges(Profile Profile, SegmentStateChanges? Segments, ListMembershipChanges? Lists);

    /// <summary>
    /// A profile as stored: state JSON plus the columns search and listing use. The JSON is UTF-8 bytes for SQLite
    /// (cast to TEXT as they are: a string would be transcoded to UTF-16 and back on every save, the writer's largest
    /// allocation) and a string for PostgreSQL.
    /// </summary>
    private sealed record ProfileRow(string Id, string WorkspaceId, object State, string SearchText, long? LastSeen)
    {
        public static ProfileRow Of(Profile profile, bool utf8State) => new(
            profile.Id,
            profile.WorkspaceId,
            utf8State
                ? JsonSerializer.SerializeToUtf8Bytes(profile, StorageJsonContext.Default.Profile)
                : JsonSerializer.Serialize(profile, StorageJsonContext.Default.Profile),
            string.Join(' ', new[] { profile.Id, profile.DisplayName }
                .Concat(profile.Identities.Select(i => i.Value))
                .Where(s => !string.IsNullOrEmpty(s)))
                .ToLowerInvariant(),
            profile.Computed.LastSeen?.ToUnixTimeMilliseconds());
    }
}
