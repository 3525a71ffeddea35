using Nudge.Core.Delivery;
using Nudge.Storage.Delivery;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

/// <summary>Each workspace's delivery policy settings: defaults until changed, versions, refusing a stale edit.</summary>
public abstract class DeliveryPolicyStoreContract(IDatabaseSource databases) : StoreContract(databases)
{
    private DeliveryPolicyStore Store => new(Database, Time);

    private static DeliveryPolicySettings QuietSmsOff => new()
    {
        QuietHours = DeliveryPolicySettings.Default.QuietHours.Remove(DeliveryChannels.Sms),
        SmartSendingWindows = DeliveryPolicySettings.Default.SmartSendingWindows.SetItem(DeliveryChannels.Email, TimeSpan.FromDays(2)),
        FrequencyCaps = [new FrequencyCap(DeliveryChannels.Sms, 2, TimeSpan.FromDays(30))],
        FallbackTimeZone = "Europe/Berlin",
        ChannelsWithoutOptIn = [],
        QuietHoursHoldTransactional = true,
    };

    [Fact]
    public async Task A_workspace_has_the_default_settings_until_it_changes_them()
    {
        var stored = await Store.GetAsync(Some.Workspace, Ct);

        Assert.Equal((0L, (DateTimeOffset?)null), (stored.Version, stored.UpdatedAt));
        Assert.Equal(Document(DeliveryPolicySettings.Default), Document(stored.Settings));
    }

    [Fact]
    public async Task Saved_settings_read_back_whole_with_their_version_and_time_in_their_workspace_only()
    {
        Time.Advance(TimeSpan.FromMinutes(5));

        var saved = await Store.SaveAsync(Some.Workspace, QuietSmsOff, null, Ct);
        var stored = await Store.GetAsync(Some.Workspace, Ct);

        Assert.Equal((1L, Time.GetUtcNow()), (saved!.Version, saved.UpdatedAt!.Value));
        Assert.Equal((1L, Time.GetUtcNow()), (stored.Version, stored.UpdatedAt!.Value));
        Assert.Equal(Document(QuietSmsOff), Document(stored.Settings));
        Assert.False(stored.Settings.QuietHours.ContainsKey(DeliveryChannels.Sms));
        Assert.Equal(TimeSpan.FromDays(2), stored.Settings.SmartSendingWindows[DeliveryChannels.Email]);
        Assert.Equal(0L, (await Store.GetAsync(Some.OtherWorkspace, Ct)).Version);
    }

    [Fact]
    public async Task Every_change_is_a_new_version_and_the_latest_wins()
    {
        await Store.SaveAsync(Some.Workspace, QuietSmsOff, null, Ct);
        Time.Advance(TimeSpan.FromHours(1));
        var second = await Store.SaveAsync(Some.Workspace, DeliveryPolicySettings.Default, null, Ct);

        var stored = await Store.GetAsync(Some.Workspace, Ct);

        Assert.Equal(2L, second!.Version);
        Assert.Equal((2L, Time.GetUtcNow()), (stored.Version, stored.UpdatedAt!.Value));
        Assert.Equal(Document(DeliveryPolicySettings.Default), Document(stored.Settings));
    }

    [Fact]
    public async Task A_change_based_on_an_older_version_is_refused_and_changes_nothing()
    {
        Assert.NotNull(await Store.SaveAsync(Some.Workspace, QuietSmsOff, expectedVersion: 0, Ct));
        Assert.Null(await Store.SaveAsync(Some.Workspace, DeliveryPolicySettings.Default, expectedVersion: 0, Ct));
        Assert.Null(await Store.SaveAsync(Some.Workspace, DeliveryPolicySettings.Default, expectedVersion: 7, Ct));
        Assert.Null(await Store.SaveAsync(Some.OtherWorkspace, DeliveryPolicySettings.Default, expectedVersion: 1, Ct));

        var stored = await Store.GetAsync(Some.Workspace, Ct);
        Assert.Equal(1L, stored.Version);
        Assert.Equal(Document(QuietSmsOff), Document(stored.Settings));

        Assert.Equal(2L, (await Store.SaveAsync(Some.Workspace, DeliveryPolicySettings.Default, expectedVersion: 1, Ct))!.Version);
    }

    private static string Document(DeliveryPolicySettings settings) =>
        System.Text.Json.JsonSerializer.Serialize(DeliveryPolicyJson.Write(settings), StorageJson.Options);
}

public sealed class SqliteDeliveryPolicyStoreContract() : DeliveryPolicyStoreContract(new SqliteDatabases());

public sealed class PostgresDeliveryPolicyStoreContract(PostgresDatabases postgres) : DeliveryPolicyStoreContract(postgres);
