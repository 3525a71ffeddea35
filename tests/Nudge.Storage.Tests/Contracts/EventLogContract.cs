using System.Data.Common;
using System.Text.Json;
using Nudge.Core.Ingestion;
using Nudge.Storage.Events;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class EventLogContract(IDatabaseSource databases) : StoreContract(databases)
{
    [Fact]
    public async Task Appended_events_get_increasing_sequence_numbers()
    {
        var log = await StartLogAsync();

        var first = await log.AppendAsync([Some.Track(userId: "u1"), Some.Track(userId: "u2")], Ct);
        var second = await log.AppendAsync([Some.Track(userId: "u3")], Ct);

        long[] sequences = [.. first.Select(o => o.Sequence), .. second.Select(o => o.Sequence)];
        Assert.All(sequences, s => Assert.True(s > 0));
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Length, sequences.Distinct().Count());
    }

    [Fact]
    public async Task Appended_events_read_back_by_partition_as_they_were_sent()
    {
        var log = await StartLogAsync();
        var sent = Some.Track(userId: "ada", name: "Product Added", key: KeyKind.Server, at: Some.Start.AddMinutes(5));

        var outcome = await AppendAsync(log, sent);
        var read = await Reader.ReadPartitionAsync(Partitioning.Of(outcome.ProfileId), 0, 100, Ct);

        var e = Assert.Single(read);
        Assert.Equal(
            (outcome.Sequence, Some.Workspace, outcome.ProfileId, sent.Message.MessageId, MessageType.Track, "Product Added", KeyKind.Server),
            (e.Sequence, e.WorkspaceId, e.ProfileId, e.MessageId, e.Type, e.Name, e.KeyKind));
        Assert.Equal((sent.Message.Timestamp, sent.Message.ReceivedAt), (e.Timestamp, e.ReceivedAt));
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(sent.Body.Utf8).RootElement, e.Body), e.Body.GetRawText());
    }

    [Fact]
    public async Task A_partition_read_returns_only_events_after_the_given_sequence_in_log_order()
    {
        var log = await StartLogAsync();
        var outcomes = new List<AppendOutcome>();
        for (var i = 0; i < 5; i++)
            outcomes.Add(await AppendAsync(log, Some.Track(userId: "ada", name: $"Step {i}")));
        var partition = Partitioning.Of(outcomes[0].ProfileId);

        var page = await Reader.ReadPartitionAsync(partition, outcomes[1].Sequence, 2, Ct);

        Assert.Equal(["Step 2", "Step 3"], page.Select(e => e.Name));
        Assert.Empty(await Reader.ReadPartitionAsync((partition + 1) % Partitioning.Count, 0, 100, Ct));
    }

    [Fact]
    public async Task A_resent_message_id_is_reported_duplicate_and_stored_once()
    {
        var log = await StartLogAsync();

        var first = await AppendAsync(log, Some.Track(userId: "ada", messageId: "msg-resent"));
        var again = await AppendAsync(log, Some.Track(userId: "ada", messageId: "msg-resent"));

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(1, await Reader.CountAsync(Some.Workspace, Ct));
    }

    [Fact]
    public async Task The_same_message_id_in_another_workspace_is_stored()
    {
        var log = await StartLogAsync();

        await AppendAsync(log, Some.Track(userId: "ada", messageId: "msg-shared"));
        var other = await AppendAsync(log, Some.Track(userId: "ada", messageId: "msg-shared", workspace: Some.OtherWorkspace));

        Assert.False(other.Duplicate);
        Assert.Equal((1, 1), (await Reader.CountAsync(Some.Workspace, Ct), await Reader.CountAsync(Some.OtherWorkspace, Ct)));
    }

    [Fact]
    public async Task Duplicates_inside_one_batch_count_once()
    {
        var log = await StartLogAsync();

        var outcomes = await log.AppendAsync(
            [Some.Track(userId: "ada", messageId: "msg-twice"), Some.Track(userId: "bob"), Some.Track(userId: "ada", messageId: "msg-twice")], Ct);

        Assert.Equal([false, false, true], outcomes.Select(o => o.Duplicate));
        Assert.Equal(2, await Reader.CountAsync(Some.Workspace, Ct));
    }

    [Fact]
    public async Task Duplicates_are_still_detected_after_the_log_restarts()
    {
        var before = await StartLogAsync();
        await AppendAsync(before, Some.Track(userId: "ada", messageId: "msg-before-restart"));
        await before.DisposeAsync();
        Time.Advance(TimeSpan.FromMinutes(10));

        var after = await StartLogAsync();
        var again = await AppendAsync(after, Some.Track(userId: "ada", messageId: "msg-before-restart", at: Time.GetUtcNow()));

        Assert.True(again.Duplicate);
        Assert.Equal(1, await Reader.CountAsync(Some.Workspace, Ct));
    }

    [Fact]
    public async Task Sequence_numbers_continue_after_a_restart()
    {
        var before = await StartLogAsync();
        var last = await AppendAsync(before, Some.Track(userId: "ada"));
        await before.DisposeAsync();

        var after = await StartLogAsync();
        var next = await AppendAsync(after, Some.Track(userId: "ada"));

        Assert.True(next.Sequence > last.Sequence, $"{next.Sequence} after {last.Sequence}");
    }

    [Fact]
    public async Task Concurrent_appends_from_many_callers_all_complete_and_are_stored_exactly_once()
    {
        const int callers = 40;
        const int eventsPerCall = 25;
        var log = await StartLogAsync();

        var calls = Enumerable.Range(0, callers).Select(c => Task.Run(() => log.AppendAsync(
            [.. Enumerable.Range(0, eventsPerCall).Select(i => Some.Track(userId: $"user-{c}", name: $"Event {i}"))], Ct), Ct));
        var outcomes = (await Task.WhenAll(calls)).SelectMany(o => o).ToList();

        Assert.All(outcomes, o => Assert.False(o.Duplicate));
        Assert.Equal(callers * eventsPerCall, outcomes.Select(o => o.Sequence).Distinct().Count());
        Assert.Equal(callers * eventsPerCall, await Reader.CountAsync(Some.Workspace, Ct));
        Assert.Equal(callers * eventsPerCall, await Database.CountAsync("SELECT COUNT(DISTINCT message_id) FROM events"));
    }

    [Fact]
    public async Task Concurrent_resends_of_one_message_store_it_once()
    {
        var log = await StartLogAsync();

        var calls = Enumerable.Range(0, 20).Select(_ => Task.Run(() => AppendAsync(log, Some.Track(userId: "ada", messageId: "msg-retried")), Ct));
        var outcomes = await Task.WhenAll(calls);

        Assert.Single(outcomes, o => !o.Duplicate);
        Assert.Equal(1, await Reader.CountAsync(Some.Workspace, Ct));
    }
}

public sealed class SqliteEventLogContract() : EventLogContract(new SqliteDatabases());

public sealed class PostgresEventLogContract(PostgresDatabases postgres) : EventLogContract(postgres)
{
    [Fact]
    public async Task The_log_keeps_accepting_events_after_its_connections_were_cut()
    {
        var log = await StartLogAsync();
        await AppendAsync(log, Some.Track(userId: "ada"));

        // What a server restart or a fail-over does to open connections: every connection of this test
        // (they carry its schema as application name), pooled ones and the one asking, is ended.
        await Assert.ThrowsAnyAsync<DbException>(() => Database.ScalarAsync(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = current_setting('application_name') ORDER BY pid = pg_backend_pid()"));
        AppendOutcome? accepted = null;
        for (var attempt = 0; attempt < 10 && accepted is null; attempt++)
        {
            try
            {
                accepted = await AppendAsync(log, Some.Track(userId: "ada"));
            }
            catch (DbException)
            {
                // Not acknowledged; the sender retries.
            }
        }

        Assert.NotNull(accepted);
        Assert.Equal(2, await Reader.CountAsync(Some.Workspace, Ct));
    }
}
