using Nudge.Storage.Push;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class PushSubscriptionStoreContract(IDatabaseSource databases) : StoreContract(databases)
{
    private const string Endpoint = "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bH";
    private const string P256dh = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    private const string Auth = "BTBZMqHH6r4Tts7J_aSIgg";

    private PushSubscriptionStore Store => new(Database);

    [Fact]
    public async Task A_saved_subscription_reads_back_whole_in_its_workspace_only()
    {
        var subscription = Subscription("prof_ada");

        Assert.True(await Store.SaveAsync(subscription, Ct));

        Assert.Equal(subscription, await Store.GetAsync(Some.Workspace, Endpoint, Ct));
        Assert.Null(await Store.GetAsync(Some.OtherWorkspace, Endpoint, Ct));
    }

    [Fact]
    public async Task Subscribing_again_replaces_the_keys_and_the_person_but_keeps_one_row_and_its_last_success()
    {
        await Store.SaveAsync(Subscription("prof_anonymous"), Ct);
        await Store.RecordSuccessAsync(Endpoint, Some.Start.AddMinutes(5), Ct);
        Time.Advance(TimeSpan.FromDays(1));

        var isNew = await Store.SaveAsync(Subscription("prof_ada", auth: "AAAAAAAAAAAAAAAAAAAAAA"), Ct);

        Assert.False(isNew);
        var stored = await Store.GetAsync(Some.Workspace, Endpoint, Ct);
        Assert.Equal("prof_ada", stored!.ProfileId);
        Assert.Equal("AAAAAAAAAAAAAAAAAAAAAA", stored.Auth);
        Assert.Equal(Some.Start.AddMinutes(5), stored.LastSuccessAt);
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM push_subscriptions"));
    }

    [Fact]
    public async Task A_person_has_the_browsers_of_the_profiles_merged_into_them()
    {
        await Store.SaveAsync(Subscription("prof_phone", endpoint: Endpoint + "-phone"), Ct);
        await Store.SaveAsync(Subscription("prof_laptop", endpoint: Endpoint + "-laptop"), Ct);
        await Store.SaveAsync(Subscription("prof_ada", endpoint: Endpoint + "-work"), Ct);
        await Store.SaveAsync(Subscription("prof_bob", endpoint: Endpoint + "-bob"), Ct);
        // phone merged into laptop, laptop into ada: ada owns all three browsers.
        await Database.ScalarAsync("INSERT INTO profile_merges (absorbed_id, survivor_id, workspace_id, seq) VALUES ('prof_phone', 'prof_laptop', @p0, 1)", Some.Workspace);
        await Database.ScalarAsync("INSERT INTO profile_merges (absorbed_id, survivor_id, workspace_id, seq) VALUES ('prof_laptop', 'prof_ada', @p0, 2)", Some.Workspace);

        var browsers = await Store.ForProfileAsync(Some.Workspace, "prof_ada", Ct);

        Assert.Equal([Endpoint + "-laptop", Endpoint + "-phone", Endpoint + "-work"], browsers.Select(b => b.Endpoint).Order(StringComparer.Ordinal));
        Assert.Equal([Endpoint + "-bob"], (await Store.ForProfileAsync(Some.Workspace, "prof_bob", Ct)).Select(b => b.Endpoint));
        Assert.Empty(await Store.ForProfileAsync(Some.OtherWorkspace, "prof_ada", Ct));
    }

    [Fact]
    public async Task A_removed_subscription_is_gone_and_removing_it_again_says_so()
    {
        await Store.SaveAsync(Subscription("prof_ada"), Ct);

        Assert.False(await Store.RemoveAsync(Some.OtherWorkspace, Endpoint, Ct));
        Assert.True(await Store.RemoveAsync(Some.Workspace, Endpoint, Ct));
        Assert.False(await Store.RemoveAsync(Some.Workspace, Endpoint, Ct));
        Assert.Empty(await Store.ForProfileAsync(Some.Workspace, "prof_ada", Ct));
    }

    [Fact]
    public async Task Erasing_people_removes_their_browsers()
    {
        await Store.SaveAsync(Subscription("prof_ada", endpoint: Endpoint + "-1"), Ct);
        await Store.SaveAsync(Subscription("prof_ada", endpoint: Endpoint + "-2"), Ct);
        await Store.SaveAsync(Subscription("prof_bob", endpoint: Endpoint + "-3"), Ct);

        Assert.Equal(2, await Store.RemoveProfilesAsync(Some.Workspace, ["prof_ada"], Ct));

        Assert.Empty(await Store.ForProfileAsync(Some.Workspace, "prof_ada", Ct));
        Assert.Single(await Store.ForProfileAsync(Some.Workspace, "prof_bob", Ct));
    }

    [Fact]
    public async Task The_first_vapid_key_pair_of_a_workspace_stays_its_pair()
    {
        var keys = new VapidKeyStore(Database, Time);

        var first = await keys.GetOrCreateAsync(Some.Workspace, () => ("public-1", "private-1"), Ct);
        var second = await keys.GetOrCreateAsync(Some.Workspace, () => ("public-2", "private-2"), Ct);
        var other = await keys.GetOrCreateAsync(Some.OtherWorkspace, () => ("public-3", "private-3"), Ct);

        Assert.Equal(("public-1", "private-1"), first);
        Assert.Equal(first, second);
        Assert.Equal(("public-3", "private-3"), other);
    }

    private PushSubscription Subscription(string profileId, string endpoint = Endpoint, string auth = Auth) =>
        new(Some.Workspace, profileId, endpoint, P256dh, auth, "Mozilla/5.0", Time.GetUtcNow());
}

public sealed class SqlitePushSubscriptionStoreContract() : PushSubscriptionStoreContract(new SqliteDatabases());

public sealed class PostgresPushSubscriptionStoreContract(PostgresDatabases postgres) : PushSubscriptionStoreContract(postgres);
