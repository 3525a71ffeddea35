using Nudge.Storage.Outbox;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

/// <summary>The outbox as the preparation stage uses it: queued flow messages claimed, decided, and counted as recent sends.</summary>
public abstract class MessagePreparationContract(IDatabaseSource databases) : StoreContract(databases)
{
    private OutboxStore Store => new(Database);

    private static OutboxMessage Queued(string run, DateTimeOffset? at = null, bool transactional = false) =>
        OutboxMessage.FromFlow(Some.Workspace, "prf_1", "", new FlowMessage("tpl_1", "flw_1", run, "mail", 0, transactional, null), "email", at ?? Some.Start);

    [Fact]
    public async Task Due_queued_messages_are_claimed_once()
    {
        await Store.EnqueueAsync(Queued("run_1"), Ct);
        await Store.EnqueueAsync(Queued("run_2", Some.Start.AddHours(1)), Ct);

        var first = await Store.ClaimQueuedAsync("email", Some.Start, Some.Start.AddMinutes(5), 10, Ct);
        var second = await Store.ClaimQueuedAsync("email", Some.Start, Some.Start.AddMinutes(5), 10, Ct);

        Assert.Equal(["run_1:mail"], first.Select(m => m.MessageKey));
        Assert.Equal(OutboxStatus.Preparing, first[0].Status);
        Assert.Empty(second);
    }

    [Fact]
    public async Task A_claim_whose_lease_ran_out_is_claimed_again()
    {
        await Store.EnqueueAsync(Queued("run_1"), Ct);
        await Store.ClaimQueuedAsync("email", Some.Start, Some.Start.AddMinutes(5), 10, Ct);

        var again = await Store.ClaimQueuedAsync("email", Some.Start.AddMinutes(6), Some.Start.AddMinutes(11), 10, Ct);

        Assert.Single(again);
    }

    [Fact]
    public async Task A_prepared_message_is_pending_with_its_content_and_history()
    {
        await Store.EnqueueAsync(Queued("run_1"), Ct);
        var claimed = (await Store.ClaimQueuedAsync("email", Some.Start, Some.Start.AddMinutes(5), 10, Ct))[0];

        await Store.PreparedAsync([new PreparedMessage(claimed.Id, OutboxStatus.Pending, "prepared", Some.Start, "ada@example.com", "Hi Ada", "<p>Hi</p>", "Hi",
            Some.Start, "rendered tpl_1 v1")], Ct);

        var message = await Store.FindAsync("run_1:mail", Ct);
        Assert.Equal((OutboxStatus.Pending, "ada@example.com", "Hi Ada"), (message!.Status, message.Recipient, message.Subject));
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM message_events WHERE outbox_id = @p0 AND status = 'prepared'", claimed.Id));
    }

    [Fact]
    public async Task A_delayed_message_waits_queued_until_its_moment()
    {
        await Store.EnqueueAsync(Queued("run_1"), Ct);
        var claimed = (await Store.ClaimQueuedAsync("email", Some.Start, Some.Start.AddMinutes(5), 10, Ct))[0];

        await Store.PreparedAsync([new PreparedMessage(claimed.Id, OutboxStatus.Queued, OutboxStatus.Delayed, Some.Start, null, null, null, null,
            Some.Start.AddHours(9), "quietHours: ...")], Ct);

        Assert.Empty(await Store.ClaimQueuedAsync("email", Some.Start.AddHours(8), Some.Start.AddHours(9), 10, Ct));
        Assert.Single(await Store.ClaimQueuedAsync("email", Some.Start.AddHours(9), Some.Start.AddHours(10), 10, Ct));
    }

    [Fact]
    public async Task Recent_sends_count_messages_sent_and_on_their_way_but_not_skipped_ones()
    {
        await Store.EnqueueAsync(Queued("run_1"), Ct);
        await Store.EnqueueAsync(Queued("run_2", transactional: true), Ct);
        await Store.EnqueueAsync(Queued("run_3"), Ct);
        // Messages due at the same moment come back in id order, which need not be the order they were queued in.
        var claimed = (await Store.ClaimQueuedAsync("email", Some.Start, Some.Start.AddMinutes(5), 10, Ct)).ToDictionary(m => m.MessageKey, m => m.Id);
        await Store.PreparedAsync(
        [
            new PreparedMessage(claimed["run_1:mail"], OutboxStatus.Pending, "prepared", Some.Start, "a@example.com", "s", "h", "t", Some.Start, null),
            new PreparedMessage(claimed["run_2:mail"], OutboxStatus.Pending, "prepared", Some.Start, "a@example.com", "s", "h", "t", Some.Start, null),
            new PreparedMessage(claimed["run_3:mail"], OutboxStatus.Skipped, OutboxStatus.Skipped, Some.Start, null, null, null, null, null, "smartSending: ..."),
        ], Ct);

        var recent = await Store.RecentSendsAsync("prf_1", Some.Start.AddDays(-30), Ct);

        Assert.Equal([false, true], recent.Select(r => r.Transactional).Order());
    }
}

public sealed class SqliteMessagePreparationContract() : MessagePreparationContract(new SqliteDatabases());

public sealed class PostgresMessagePreparationContract(PostgresDatabases postgres) : MessagePreparationContract(postgres);
