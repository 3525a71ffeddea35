using System.Data.Common;
using Nudge.Core.Flows;
using Nudge.Storage.Events;
using Nudge.Storage.Outbox;

namespace Nudge.Storage.Flows;

/// <summary>
/// Flow runs, their history and their wake-ups. Profile grains are the only writers of their runs; the API reads.
/// </summary>
public sealed class FlowRunStore(Database database)
{
    private readonly BatchedReads<List<FlowRun>> _runs = new((ids, ct) => ReadRunsAsync(database, ids, ct));
    private readonly BatchedReads<Dictionary<string, DateTimeOffset>> _dateWakeUps = new((ids, ct) => ReadDateWakeUpsAsync(database, ids, ct));

    /// <summary>The timer kind of a run's wake-up; the timer key is the run id.</summary>
    public const string TimerKind = "flow";

    /// <summary>The timer kind of a date-triggered flow's next moment for a profile; the timer key is the flow id.</summary>
    public const string DateTimerKind = "flowdate";

    private const string Columns =
        "id, workspace_id, flow_id, version, profile_id, status, step, started_at, updated_at, ended_at, end_reason, trigger_event, " +
        "wait_due, wait_for_event, steps_taken";

    /// <summary>
    /// A profile's active runs, when each flow last started for it, every run id it ever had, and, when asked, the
    /// wake-ups of its date-triggered flows. Profiles asked for at the same time are read together.
    /// </summary>
    public async Task<ProfileRuns> LoadForProfileAsync(string profileId, CancellationToken ct, bool withDateWakeUps = true)
    {
        var dateWakeUps = withDateWakeUps ? _dateWakeUps.ReadAsync(profileId, ct) : null;
        var runs = await _runs.ReadAsync(profileId, ct) ?? [];
        var dates = (dateWakeUps is null ? null : await dateWakeUps) ?? new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var lastStarts = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            if (!lastStarts.TryGetValue(run.FlowId, out var last) || run.StartedAt > last)
                lastStarts[run.FlowId] = run.StartedAt;
        }
        return new ProfileRuns([.. runs.Where(r => r.IsActive)], lastStarts, runs.Select(r => r.Id).ToHashSet(StringComparer.Ordinal), dates);
    }

    private static async Task<IReadOnlyDictionary<string, List<FlowRun>>> ReadRunsAsync(Database database, IReadOnlyList<string> profileIds, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        // The trigger event is only needed for runs still going; ended runs only tell ids and start times.
        var runs = await ReadAsync(connection,
            $"SELECT {Columns.Replace("trigger_event", "CASE WHEN status = 'active' THEN trigger_event ELSE 'null' END", StringComparison.Ordinal)} " +
            $"FROM flow_runs WHERE {database.InKeyList("profile_id", "@p0")}", ct, database.KeyList(profileIds));
        var byProfile = new Dictionary<string, List<FlowRun>>(StringComparer.Ordinal);
        foreach (var run in runs)
            byProfile.GroupOf(run.ProfileId).Add(run);
        return byProfile;
    }

    private static async Task<IReadOnlyDictionary<string, Dictionary<string, DateTimeOffset>>> ReadDateWakeUpsAsync(
        Database database, IReadOnlyList<string> profileIds, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            $"SELECT profile_id, timer_key, due FROM timers WHERE {database.InKeyList("profile_id", "@p0")} AND kind = '{DateTimerKind}'",
            database.KeyList(profileIds));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var byProfile = new Dictionary<string, Dictionary<string, DateTimeOffset>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
            byProfile.GroupOf(reader.GetString(0))[reader.GetString(1)] = At(reader.GetInt64(2));
        return byProfile;
    }

    /// <summary>Sets (or, for null, removes) a profile's date-flow wake-ups, by flow id.</summary>
    public async Task SaveDateWakeUpsAsync(string profileId, IReadOnlyDictionary<string, DateTimeOffset?> changes, CancellationToken ct)
    {
        if (changes.Count == 0)
            return;
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct, derivedData: true);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var set = connection.Reusable(transaction,
            "INSERT INTO timers (profile_id, kind, timer_key, partition, due) VALUES (@p0, '" + DateTimerKind + "', @p1, @p2, @p3) " +
            "ON CONFLICT (profile_id, kind, timer_key) DO UPDATE SET due = excluded.due", 4);
        await using var clear = connection.Reusable(transaction,
            "DELETE FROM timers WHERE profile_id = @p0 AND kind = '" + DateTimerKind + "' AND timer_key = @p1", 2);
        foreach (var (flowId, due) in changes)
        {
            if (due is { } moment)
                await set.RunAsync(ct, profileId, flowId, (long)Partitioning.Of(profileId), Ms(moment));
            else
                await clear.RunAsync(ct, profileId, flowId);
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>Arms a date-triggered flow for many profiles at once; a profile whose grain set a moment already keeps it.</summary>
    public async Task ArmDateFlowAsync(string flowId, IReadOnlyCollection<(string ProfileId, DateTimeOffset Due)> moments, CancellationToken ct)
    {
        if (moments.Count == 0)
            return;
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct, derivedData: true);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var insert = connection.Reusable(transaction,
            "INSERT INTO timers (profile_id, kind, timer_key, partition, due) VALUES (@p0, '" + DateTimerKind + "', @p1, @p2, @p3) " +
            "ON CONFLICT (profile_id, kind, timer_key) DO NOTHING", 4);
        foreach (var (profileId, due) in moments)
            await insert.RunAsync(ct, profileId, flowId, (long)Partitioning.Of(profileId), Ms(due));
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Writes the moves of runs, each with its history, messages and wake-up, inside the derived-state writer's
    /// transaction (<see cref="DerivedStateWriter.SaveRunsAsync"/>), so the moves of many grains share one commit.
    /// </summary>
    internal static async Task WriteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<RunWrite> writes, CancellationToken ct)
    {
        await using var upsert = connection.Reusable(transaction,
            $"INSERT INTO flow_runs ({Columns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14) " +
            "ON CONFLICT (id) DO UPDATE SET version = excluded.version, status = excluded.status, step = excluded.step, updated_at = excluded.updated_at, " +
            "ended_at = excluded.ended_at, end_reason = excluded.end_reason, wait_due = excluded.wait_due, wait_for_event = excluded.wait_for_event, " +
            "steps_taken = excluded.steps_taken", 15);
        await using var lastLine = connection.Reusable(transaction, "SELECT COALESCE(MAX(seq), 0) FROM flow_run_steps WHERE run_id = @p0", 1);
        await using var line = connection.Reusable(transaction,
            "INSERT INTO flow_run_steps (run_id, seq, flow_id, step_id, kind, at, outcome) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)", 7);
        await using var setTimer = connection.Reusable(transaction,
            "INSERT INTO timers (profile_id, kind, timer_key, partition, due) VALUES (@p0, '" + TimerKind + "', @p1, @p2, @p3) " +
            "ON CONFLICT (profile_id, kind, timer_key) DO UPDATE SET due = excluded.due", 4);
        await using var clearTimer = connection.Reusable(transaction,
            "DELETE FROM timers WHERE profile_id = @p0 AND kind = '" + TimerKind + "' AND timer_key = @p1", 2);
        await using var outbox = new OutboxInserts(connection, transaction);

        foreach (var (run, history, messages) in writes)
        {
            await upsert.RunAsync(ct, run.Id, run.WorkspaceId, run.FlowId, (long)run.Version, run.ProfileId, Status(run.Status), run.Step,
                Ms(run.StartedAt), Ms(run.UpdatedAt), run.EndedAt is { } ended ? Ms(ended) : null, run.EndReason, run.Trigger.GetRawText(),
                run.Wait?.Due is { } due ? Ms(due) : null, run.Wait is { ForEvent: true } ? 1L : 0L, (long)run.StepsTaken);

            lastLine.Parameters[0].Value = run.Id;
            var seq = Convert.ToInt64(await lastLine.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            foreach (var h in history)
                await line.RunAsync(ct, run.Id, ++seq, run.FlowId, h.StepId, h.Kind, Ms(h.At), h.Outcome);

            foreach (var message in messages)
                await outbox.InsertAsync(message, ct);

            if (run.Wait?.Due is { } wake)
                await setTimer.RunAsync(ct, run.ProfileId, run.Id, (long)Partitioning.Of(run.ProfileId), Ms(wake));
            else
                await clearTimer.RunAsync(ct, run.ProfileId, run.Id);
        }
    }

    public async Task<FlowRun?> GetAsync(string workspaceId, string runId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await ReadAsync(connection, $"SELECT {Columns} FROM flow_runs WHERE workspace_id = @p0 AND id = @p1", ct, workspaceId, runId);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>A run's path, oldest line first.</summary>
    public async Task<IReadOnlyList<StepRecord>> HistoryAsync(string runId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("SELECT step_id, kind, at, outcome FROM flow_run_steps WHERE run_id = @p0 ORDER BY seq", runId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var lines = new List<StepRecord>();
        while (await reader.ReadAsync(ct))
            lines.Add(new StepRecord(reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), reader.GetString(3)));
        return lines;
    }

    /// <summary>The runs of a flow, newest first, optionally of one status, keyset-paged by start time and id.</summary>
    public async Task<IReadOnlyList<FlowRun>> OfFlowAsync(string workspaceId, string flowId, RunStatus? status, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ReadAsync(connection,
            $"SELECT {Columns} FROM flow_runs WHERE workspace_id = @p0 AND flow_id = @p1 AND (@p2 = '' OR status = @p2) ORDER BY started_at DESC, id LIMIT @p3",
            ct, workspaceId, flowId, status is { } s ? Status(s) : "", (long)limit);
    }

    /// <summary>The runs of a profile, newest first.</summary>
    public async Task<IReadOnlyList<FlowRun>> OfProfileAsync(string workspaceId, string profileId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ReadAsync(connection,
            $"SELECT {Columns} FROM flow_runs WHERE workspace_id = @p0 AND profile_id = @p1 ORDER BY started_at DESC, id", ct, workspaceId, profileId);
    }

    /// <summary>Per step of a flow: entered, waiting now, completed and exited there.</summary>
    public async Task<IReadOnlyList<StepCount>> StepCountsAsync(string flowId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var counts = new Dictionary<string, (long Entered, long Waiting, long Completed, long Exited)>(StringComparer.Ordinal);
        await using (var command = connection.Command(
            "SELECT step_id, COUNT(DISTINCT run_id) FROM flow_run_steps WHERE flow_id = @p0 AND kind NOT IN ('trigger', 'exit', 'cancel') GROUP BY step_id", flowId))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                counts[reader.GetString(0)] = (reader.GetInt64(1), 0, 0, 0);
        }
        await using (var command = connection.Command(
            "SELECT step, status, COUNT(*) FROM flow_runs WHERE flow_id = @p0 GROUP BY step, status", flowId))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var c = counts.GetValueOrDefault(reader.GetString(0));
                var n = reader.GetInt64(2);
                counts[reader.GetString(0)] = reader.GetString(1) switch
                {
                    "active" => c with { Waiting = c.Waiting + n },
                    "completed" => c with { Completed = c.Completed + n },
                    _ => c with { Exited = c.Exited + n },
                };
            }
        }
        return counts.OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new StepCount(c.Key, c.Value.Entered, c.Value.Waiting, c.Value.Completed, c.Value.Exited)).ToList();
    }

    internal static string Status(RunStatus status) => status switch
    {
        RunStatus.Active => "active",
        RunStatus.Completed => "completed",
        RunStatus.Exited => "exited",
        _ => "cancelled",
    };

    private static RunStatus ParseStatus(string status) => status switch
    {
        "active" => RunStatus.Active,
        "completed" => RunStatus.Completed,
        "exited" => RunStatus.Exited,
        _ => RunStatus.Cancelled,
    };

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static async Task<IReadOnlyList<FlowRun>> ReadAsync(DbConnection connection, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var runs = new List<FlowRun>();
        while (await reader.ReadAsync(ct))
        {
            var waitDue = reader.IsDBNull(12) ? (DateTimeOffset?)null : At(reader.GetInt64(12));
            var forEvent = reader.GetInt64(13) == 1;
            runs.Add(new FlowRun(
                Id: reader.GetString(0),
                WorkspaceId: reader.GetString(1),
                FlowId: reader.GetString(2),
                Version: (int)reader.GetInt64(3),
                ProfileId: reader.GetString(4),
                Status: ParseStatus(reader.GetString(5)),
                Step: reader.GetString(6),
                StartedAt: At(reader.GetInt64(7)),
                UpdatedAt: At(reader.GetInt64(8)),
                EndedAt: reader.IsDBNull(9) ? null : At(reader.GetInt64(9)),
                EndReason: reader.NullableString(10),
                Trigger: reader.Json(11),
                Wait: waitDue is null && !forEvent ? null : new RunWait(waitDue, forEvent),
                StepsTaken: (int)reader.GetInt64(14)));
        }
        return runs;
    }
}
