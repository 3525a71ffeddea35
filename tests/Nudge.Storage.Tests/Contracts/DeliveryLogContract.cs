using Nudge.Storage.Outbox;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

/// <summary>Claiming, recording and recovering outbox messages, and the status history they leave in the delivery log.</summary>
public abstract class DeliveryLogContract(IDatabaseSource databases) : StoreContract(databases)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private OutboxStore Store => new(Database);

    private DeliveryLog Log => new(Database);

    [Fact]
    public async Task A_claim_takes_due_messages_once_and_counts_the_attempt()
    {
        await Store.EnqueueAsync(Email("k1"), Ct);
        await Store.EnqueueAsync(Email("k2", at: Some.Start.AddMinutes(10)), Ct);

        var first = await ClaimAsync();
        var again = await ClaimAsync();

        var claimed = Assert.Single(first);
        Assert.Equal(("k1", OutboxStatus.Sending, 1), (claimed.MessageKey, claimed.Status, claimed.Attempts));
        Assert.Empty(again);
    }

    [Fact]
    public async Task A_claim_takes_at_most_its_limit_oldest_due_first()
    {
        for (var i = 0; i < 5; i++)
            await Store.EnqueueAsync(Email($"k{i}", at: Some.Start.AddSeconds(-i)), Ct);

        var claimed = await Store.ClaimDueAsync("email", Time.GetUtcNow(), Time.GetUtcNow() + Lease, 3, Ct);

        Assert.Equal(["k4", "k3", "k2"], claimed.Select(m => m.MessageKey));
    }

    [Fact]
    public async Task A_sent_message_keeps_the_providers_id_and_reply_and_its_history()
    {
        await Store.EnqueueAsync(Email("k1"), Ct);
        var id = (await ClaimAsync())[0].Id;
        Time.Advance(TimeSpan.FromSeconds(2));

        await Store.RecordAsync([new DeliveryRecord(id, OutboxStatus.Sent, Time.GetUtcNow(), null, "4F2A1", "250 2.0.0 Ok: queued as 4F2A1")], Ct);

        var message = await Log.GetAsync(Some.Workspace, id, Ct);
        Assert.Equal((OutboxStatus.Sent, Time.GetUtcNow(), "4F2A1", "250 2.0.0 Ok: queued as 4F2A1"),
            (message!.Status, message.SentAt, message.ProviderMessageId, message.ProviderReply));
        Assert.Equal(
            [new MessageEvent(OutboxStatus.Queued, Some.Start, null), new MessageEvent(OutboxStatus.Sent, Time.GetUtcNow(), "250 2.0.0 Ok: queued as 4F2A1")],
            await Log.HistoryAsync(id, Ct));
    }

    [Fact]
    public async Task A_deferred_message_is_due_again_at_its_retry_time()
    {
        await Store.EnqueueAsync(Email("k1"), Ct);
        var id = (await ClaimAsync())[0].Id;
        await Store.RecordAsync([new DeliveryRecord(id, OutboxStatus.Deferred, Time.GetUtcNow(), Time.GetUtcNow().AddMinutes(1), null, "450 4.3.0 Error")], Ct);

        var tooEarly = await ClaimAsync();
        Time.Advance(TimeSpan.FromMinutes(1));
        var due = await ClaimAsync();

        Assert.Empty(tooEarly);
        Assert.Equal((id, 2, "450 4.3.0 Error"), (due.Single().Id, due.Single().Attempts, due.Single().LastError));
    }

    [Fact]
    public async Task A_message_claimed_and_never_recorded_is_found_after_its_lease_and_sent_again()
    {
        await Store.EnqueueAsync(Email("k1"), Ct);
        var id = (await ClaimAsync())[0].Id;

        var duringLease = await Store.RecoverUnrecordedAsync("email", Time.GetUtcNow().AddMinutes(4), Ct);
        Time.Advance(Lease);
        var recovered = await Store.RecoverUnrecordedAsync("email", Time.GetUtcNow(), Ct);
        var reclaimed = await ClaimAsync();

        Assert.Empty(duringLease);
        Assert.Equal(("k1", id), (recovered.Single().MessageKey, recovered.Single().Id));
        Assert.Equal((id, 2), (reclaimed.Single().Id, reclaimed.Single().Attempts));
        Assert.Equal([OutboxStatus.Queued, OutboxStatus.Unrecorded], (await Log.HistoryAsync(id, Ct)).Select(e => e.Status));
    }

    [Fact]
    public async Task A_late_record_of_a_recovered_message_changes_nothing()
    {
        await Store.EnqueueAsync(Email("k1"), Ct);
        var id = (await ClaimAsync())[0].Id;
        Time.Advance(Lease);
        await Store.RecoverUnrecordedAsync("email", Time.GetUtcNow(), Ct);

        var recorded = await Store.RecordAsync([new DeliveryRecord(id, OutboxStatus.Sent, Time.GetUtcNow(), null, null, "250 Ok")], Ct);

        Assert.Equal(0, recorded);
        Assert.Equal(OutboxStatus.Deferred, (await Log.GetAsync(Some.Workspace, id, Ct))!.Status);
    }

    [Fact]
    public async Task The_log_lists_a_profiles_messages_by_status_newest_first()
    {
        await Store.EnqueueAsync(Email("k1", profile: "prf_ada"), Ct);
        await Store.EnqueueAsync(Email("k2", profile: "prf_ada"), Ct);
        await Store.EnqueueAsync(Email("k3", profile: "prf_bob"), Ct);
        var claimed = await ClaimAsync();
        await Store.RecordAsync([new DeliveryRecord(claimed.Single(m => m.MessageKey == "k1").Id, OutboxStatus.Bounced, Time.GetUtcNow(), null, null, "550 no such user")], Ct);

        var ada = await Log.ListAsync(Some.Workspace, "prf_ada", null, null, 10, Ct);
        var bounced = await Log.ListAsync(Some.Workspace, null, OutboxStatus.Bounced, null, 10, Ct);
        var otherShop = await Log.ListAsync(Some.OtherWorkspace, null, null, null, 10, Ct);

        Assert.Equal(["k2", "k1"], ada.Select(m => m.MessageKey));
        Assert.Equal(["k1"], bounced.Select(m => m.MessageKey));
        Assert.Empty(otherShop);
    }

    [Fact]
    public async Task The_log_pages_with_the_last_id_of_the_previous_page()
    {
        for (var i = 0; i < 3; i++)
            await Store.EnqueueAsync(Email($"k{i}"), Ct);

        var first = await Log.ListAsync(Some.Workspace, null, null, null, 2, Ct);
        var second = await Log.ListAsync(Some.Workspace, null, null, first[^1].Id, 2, Ct);

        Assert.Equal(["k2", "k1", "k0"], first.Concat(second).Select(m => m.MessageKey));
    }

    private Task<IReadOnlyList<OutboxMessage>> ClaimAsync() => Store.ClaimDueAsync("email", Time.GetUtcNow(), Time.GetUtcNow() + Lease, 100, Ct);

    private static OutboxMessage Email(string key, DateTimeOffset? at = null, string? profile = null) =>
        OutboxMessage.Email(Some.Workspace, profile, key, "ada@example.com", "Hello", "<p>Hi</p>", "Hi", at ?? Some.Start);
}

public sealed class SqliteDeliveryLogContract() : DeliveryLogContract(new SqliteDatabases());

public sealed class PostgresDeliveryLogContract(PostgresDatabases postgres) : DeliveryLogContract(postgres);
