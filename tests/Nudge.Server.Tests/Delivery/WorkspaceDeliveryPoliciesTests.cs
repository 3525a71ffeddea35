using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nudge.Core.Delivery;
using Nudge.Server.Delivery;
using Nudge.Storage;
using Nudge.Storage.Delivery;
using Nudge.Storage.Migrations;

namespace Nudge.Server.Tests.Delivery;

/// <summary>
/// The policy kept per workspace: read once, replaced when this server saves a change, refreshed within a minute when
/// another server did. Which settings a policy holds shows in <see cref="DeliveryPolicy.HistoryNeeded"/>, which follows
/// the longest frequency-cap window.
/// </summary>
public sealed class WorkspaceDeliveryPoliciesTests : IAsyncLifetime
{
    private static readonly DeliveryPolicySettings NinetyDayCap = new() { FrequencyCaps = [new FrequencyCap(DeliveryChannels.Email, 10, TimeSpan.FromDays(90))] };

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("nudge-policies-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 14, 0, 0, TimeSpan.Zero));
    private Database _database = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = new Database(StorageProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder.FullName, "nudge.db") }.ToString());
        await new Migrator(_database, NullLogger<Migrator>.Instance).MigrateAsync(Ct);
    }

    [Fact]
    public async Task A_workspace_without_settings_gets_the_default_policy()
    {
        var policies = new WorkspaceDeliveryPolicies(new DeliveryPolicyStore(_database, _time), _time);

        Assert.Equal(TimeSpan.FromDays(30), (await policies.ForAsync("ws_1", Ct)).HistoryNeeded);
    }

    [Fact]
    public async Task A_change_saved_here_applies_to_the_next_message_and_only_in_its_workspace()
    {
        var store = new DeliveryPolicyStore(_database, _time);
        var policies = new WorkspaceDeliveryPolicies(store, _time);
        var before = await policies.ForAsync("ws_1", Ct);
        await policies.ForAsync("ws_2", Ct);

        await store.SaveAsync("ws_1", NinetyDayCap, null, Ct);
        policies.Forget("ws_1");

        Assert.Equal(TimeSpan.FromDays(30), before.HistoryNeeded);
        Assert.Equal(TimeSpan.FromDays(90), (await policies.ForAsync("ws_1", Ct)).HistoryNeeded);
        Assert.Equal(TimeSpan.FromDays(30), (await policies.ForAsync("ws_2", Ct)).HistoryNeeded);
    }

    [Fact]
    public async Task The_kept_policy_is_reused_and_a_change_made_on_another_server_shows_within_a_minute()
    {
        var store = new DeliveryPolicyStore(_database, _time);
        var policies = new WorkspaceDeliveryPolicies(store, _time);
        var first = await policies.ForAsync("ws_1", Ct);

        await new DeliveryPolicyStore(_database, _time).SaveAsync("ws_1", NinetyDayCap, null, Ct);
        _time.Advance(TimeSpan.FromSeconds(59));
        var kept = await policies.ForAsync("ws_1", Ct);
        _time.Advance(TimeSpan.FromSeconds(1));
        var refreshed = await policies.ForAsync("ws_1", Ct);

        Assert.Same(first, kept);
        Assert.Equal(TimeSpan.FromDays(90), refreshed.HistoryNeeded);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }
}
