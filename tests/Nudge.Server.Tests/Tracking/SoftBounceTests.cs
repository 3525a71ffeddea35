using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Nudge.Channels.Email.Feedback;
using Nudge.Core.Consent;
using Nudge.Server.Tests.Delivery;
using Nudge.Server.Tracking;
using Nudge.Storage;
using Nudge.Storage.Events;
using Nudge.Storage.Outbox;
using Nudge.Storage.Profiles;

namespace Nudge.Server.Tests.Tracking;

/// <summary>
/// Bounces of messages really sent (through smtp-sink) and counted in simulated time: soft bounces suppress an address
/// after the configured number within the window, hard bounces at once.
/// </summary>
public sealed class SoftBounceTests : IAsyncLifetime
{
    private const string Address = "full@customer.example";
    private DeliveryRig _rig = null!;
    private DerivedStateWriter _writer = null!;
    private EmailFeedback _feedback = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _rig = await DeliveryRig.StartAsync();
        _writer = new DerivedStateWriter(_rig.Database);
        _feedback = new EmailFeedback(new FeedbackStore(_rig.Database), _rig.Suppressions, new ProfileStore(_rig.Database, _writer),
            new EventLog(_rig.Database, new StorageOptions(), _rig.Time, new LogSignal(), NullLogger<EventLog>.Instance),
            Microsoft.Extensions.Options.Options.Create(new TrackingOptions { SoftBounceLimit = 3, SoftBounceWindow = TimeSpan.FromDays(7) }),
            _rig.Time, NullLogger<EmailFeedback>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _rig.DisposeAsync();
    }

    [Fact]
    public async Task Three_soft_bounces_within_the_window_suppress_the_address()
    {
        var first = await BounceAsync("dsn-soft-4.2.2.eml");
        _rig.Time.Advance(TimeSpan.FromDays(2));
        var second = await BounceAsync("dsn-soft-4.2.2.eml");
        var suppressedAfterTwo = await SuppressedAsync();
        _rig.Time.Advance(TimeSpan.FromDays(2));
        var third = await BounceAsync("dsn-soft-4.2.2.eml");

        Assert.Equal([false, false, true], new[] { first.Suppressed, second.Suppressed, third.Suppressed });
        Assert.False(suppressedAfterTwo);
        var suppression = await _rig.Suppressions.GetAsync(DeliveryRig.Workspace, ConsentChannels.Email, Address, Ct);
        Assert.Equal((SuppressionReason.SoftBounce, EmailFeedback.BounceSource), (suppression!.Reason, suppression.Source));
    }

    [Fact]
    public async Task Soft_bounces_older_than_the_window_no_longer_count()
    {
        await BounceAsync("dsn-soft-4.2.2.eml");
        _rig.Time.Advance(TimeSpan.FromDays(4));
        await BounceAsync("dsn-soft-4.2.2.eml");
        _rig.Time.Advance(TimeSpan.FromDays(4));
        var third = await BounceAsync("dsn-soft-4.2.2.eml");

        Assert.False(third.Suppressed);
        Assert.False(await SuppressedAsync());
    }

    [Fact]
    public async Task The_same_message_bouncing_again_counts_once()
    {
        var id = await SendAsync();
        for (var i = 0; i < 3; i++)
            await PostAsync("dsn-soft-4.2.2.eml", id);

        Assert.False(await SuppressedAsync());
    }

    [Fact]
    public async Task A_hard_bounce_suppresses_at_once_and_marks_the_sent_message_bounced()
    {
        var outcome = await BounceAsync("dsn-hard-5.1.1.eml");

        Assert.True(outcome.Suppressed);
        var message = await _rig.Log.GetAsync(DeliveryRig.Workspace, outcome.MessageId!, Ct);
        Assert.Equal(OutboxStatus.Bounced, message!.Status);
        Assert.Equal([OutboxStatus.Queued, OutboxStatus.Sent, OutboxStatus.Bounced], await _rig.HistoryAsync(outcome.MessageId!));
        var suppression = await _rig.Suppressions.GetAsync(DeliveryRig.Workspace, ConsentChannels.Email, Address, Ct);
        Assert.Equal(SuppressionReason.HardBounce, suppression!.Reason);
    }

    private async Task<FeedbackOutcome> BounceAsync(string sample) => await PostAsync(sample, await SendAsync());

    /// <summary>Sends one email to the address through the relay; returns its id.</summary>
    private async Task<string> SendAsync()
    {
        var id = (await _rig.EnqueueAsync(1, recipient: Address))[0];
        await _rig.RunAsync();
        Assert.Equal([OutboxStatus.Sent], await _rig.StatusesAsync([id]));
        return id;
    }

    private async Task<FeedbackOutcome> PostAsync(string sample, string id)
    {
        var message = await _rig.Log.GetAsync(DeliveryRig.Workspace, id, Ct);
        var text = BounceSamples.About(sample, message!.MessageKey, Address);
        using var mime = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var outcome = Assert.Single(await _feedback.HandleAsync(DeliveryRig.Workspace, await FeedbackReports.ParseAsync(mime, Ct), Ct));
        Assert.Equal(id, outcome.MessageId);
        return outcome;
    }

    private async Task<bool> SuppressedAsync() =>
        await _rig.Suppressions.GetAsync(DeliveryRig.Workspace, ConsentChannels.Email, Address, Ct) is not null;
}
