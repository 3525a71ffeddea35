using Nudge.Core.Tracking;
using Nudge.Storage.Outbox;
using Nudge.Storage.Tests.Support;
using Nudge.Storage.Tracking;

namespace Nudge.Storage.Tests.Contracts;

/// <summary>Finding the message feedback is about, adding it to the history, counting bounces, and tracking settings.</summary>
public abstract class FeedbackStoreContract(IDatabaseSource databases) : StoreContract(databases)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private OutboxStore Outbox => new(Database);

    private FeedbackStore Store => new(Database);

    private DeliveryLog Log => new(Database);

    [Fact]
    public async Task A_message_is_found_by_the_ref_in_its_message_id_only_in_its_workspace()
    {
        await Outbox.EnqueueAsync(Email("run_1:send"), Ct);

        var found = await Store.FindByRefAsync(Some.Workspace, MessageRef.Of("run_1:send"), Ct);
        var elsewhere = await Store.FindByRefAsync(Some.OtherWorkspace, MessageRef.Of("run_1:send"), Ct);

        Assert.Equal(("run_1:send", MessageRef.Of("run_1:send")), (found!.MessageKey, found.MessageRef));
        Assert.Null(elsewhere);
        Assert.Equal(found.Id, (await Store.FindAsync(found.Id, Ct))!.Id);
    }

    [Fact]
    public async Task A_sent_message_is_found_by_the_providers_id_and_as_the_latest_to_its_recipient()
    {
        var id = await SentAsync("k1", "pm-123");

        Assert.Equal(id, (await Store.FindByProviderIdAsync(Some.Workspace, "pm-123", Ct))!.Id);
        Assert.Equal(id, (await Store.LatestToAsync(Some.Workspace, "ada@example.com", Time.GetUtcNow(), Ct))!.Id);
        Assert.Null(await Store.LatestToAsync(Some.Workspace, "ada@example.com", Time.GetUtcNow().AddSeconds(-1), Ct));
    }

    [Fact]
    public async Task Feedback_joins_the_history_and_a_bounce_makes_a_sent_message_bounced()
    {
        var id = await SentAsync("k1", null);
        Time.Advance(TimeSpan.FromMinutes(1));

        await Store.RecordAsync(
        [
            new MessageFeedback(id, Some.Workspace, OutboxStatus.Opened, Time.GetUtcNow(), null),
            new MessageFeedback(id, Some.Workspace, OutboxStatus.Bounced, Time.GetUtcNow(), "5.1.1 user unknown"),
        ], Ct);

        var message = await Log.GetAsync(Some.Workspace, id, Ct);
        var history = await Log.HistoryAsync(id, Ct);
        Assert.Equal((OutboxStatus.Bounced, "5.1.1 user unknown"), (message!.Status, message.LastError));
        Assert.Equal([OutboxStatus.Queued, OutboxStatus.Sent, OutboxStatus.Opened, OutboxStatus.Bounced], history.Select(h => h.Status));
    }

    [Fact]
    public async Task Clicks_of_different_links_since_a_moment_are_counted_once_per_link()
    {
        var id = await SentAsync("k1", null);
        await Store.RecordAsync([Click(id, "https://a.example", 0), Click(id, "https://b.example", 1200),
            Click(id, "https://b.example (machine: too_soon)", 1300)], Ct);

        Assert.Equal(["https://a.example", "https://b.example"], (await Store.LinksClickedSinceAsync(id, Time.GetUtcNow(), Ct)).Order());
        Assert.Equal(["https://b.example"], await Store.LinksClickedSinceAsync(id, Time.GetUtcNow().AddMilliseconds(1000), Ct));
    }

    [Fact]
    public async Task Soft_bounces_are_counted_per_message_within_the_window()
    {
        await Store.AddBounceAsync(new EmailBounce(Some.Workspace, "ada@example.com", false, "out_1", Some.Start, "4.2.2"), Ct);
        await Store.AddBounceAsync(new EmailBounce(Some.Workspace, "ada@example.com", false, "out_1", Some.Start.AddHours(1), "4.2.2"), Ct);
        await Store.AddBounceAsync(new EmailBounce(Some.Workspace, "ada@example.com", false, null, Some.Start.AddDays(2), "4.2.2"), Ct);
        await Store.AddBounceAsync(new EmailBounce(Some.Workspace, "ada@example.com", true, "out_3", Some.Start.AddDays(2), "5.1.1"), Ct);
        await Store.AddBounceAsync(new EmailBounce(Some.OtherWorkspace, "ada@example.com", false, "out_9", Some.Start.AddDays(2), "4.2.2"), Ct);

        Assert.Equal(2, await Store.SoftBouncesSinceAsync(Some.Workspace, "ada@example.com", Some.Start, Ct));
        Assert.Equal(1, await Store.SoftBouncesSinceAsync(Some.Workspace, "ada@example.com", Some.Start.AddDays(1), Ct));
    }

    [Fact]
    public async Task Tracking_is_on_until_a_workspace_turns_it_off()
    {
        var settings = new TrackingSettingsStore(Database, Time);

        var before = await settings.GetAsync(Some.Workspace, Ct);
        await settings.SetAsync(Some.Workspace, new TrackingSettings(Opens: false, Clicks: true), Ct);
        await settings.SetAsync(Some.Workspace, new TrackingSettings(Opens: false, Clicks: false), Ct);

        Assert.Equal(TrackingSettings.Default, before);
        Assert.Equal(new TrackingSettings(false, false), await settings.GetAsync(Some.Workspace, Ct));
        Assert.Equal(TrackingSettings.Default, await settings.GetAsync(Some.OtherWorkspace, Ct));
    }

    [Fact]
    public async Task A_prepared_message_keeps_its_template_version()
    {
        var flow = new FlowMessage("tpl_1", "flw_1", "run_1", "send", 0, false, null);
        await Outbox.EnqueueAsync(OutboxMessage.FromFlow(Some.Workspace, "prf_ada", "", flow, "email", Some.Start), Ct);
        var claimed = (await Outbox.ClaimQueuedAsync("email", Time.GetUtcNow(), Time.GetUtcNow() + Lease, 10, Ct)).Single();

        await Outbox.PreparedAsync([new PreparedMessage(claimed.Id, OutboxStatus.Pending, "prepared", Time.GetUtcNow(), "ada@example.com", "Hi", "<p>Hi</p>",
            "Hi", Time.GetUtcNow(), "rendered tpl_1 v3") { TemplateVersion = 3 }], Ct);

        Assert.Equal(3, (await Log.GetAsync(Some.Workspace, claimed.Id, Ct))!.TemplateVersion);
    }

    private MessageFeedback Click(string id, string url, int afterMs) =>
        new(id, Some.Workspace, OutboxStatus.Clicked, Time.GetUtcNow().AddMilliseconds(afterMs), url);

    private async Task<string> SentAsync(string key, string? providerId)
    {
        await Outbox.EnqueueAsync(Email(key), Ct);
        var id = (await Outbox.ClaimDueAsync("email", Time.GetUtcNow(), Time.GetUtcNow() + Lease, 10, Ct)).Single().Id;
        await Outbox.RecordAsync([new DeliveryRecord(id, OutboxStatus.Sent, Time.GetUtcNow(), null, providerId, "250 ok")], Ct);
        return id;
    }

    private static OutboxMessage Email(string key) =>
        OutboxMessage.Email(Some.Workspace, "prf_ada", key, "ada@example.com", "Hello", "<p>Hi</p>", "Hi", Some.Start);
}

public sealed class SqliteFeedbackStoreContract() : FeedbackStoreContract(new SqliteDatabases());

public sealed class PostgresFeedbackStoreContract(PostgresDatabases postgres) : FeedbackStoreContract(postgres);
