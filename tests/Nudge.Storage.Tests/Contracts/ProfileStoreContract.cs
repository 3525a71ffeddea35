using System.Text.Json;
using Nudge.Core.Profiles;
using Nudge.Storage.Profiles;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class ProfileStoreContract(IDatabaseSource databases) : StoreContract(databases)
{
    private ProfileStore Store => new(Database, DerivedState);

    [Fact]
    public async Task A_saved_profile_loads_back_unchanged()
    {
        var profile = Some.Profile(userId: "ada", email: "ada@example.com", name: "Ada Lovelace");

        await Store.SaveAsync(profile, Ct);
        var loaded = await Store.LoadAsync(profile.Id, Ct);

        Assert.NotNull(loaded);
        Assert.Equal(Json(profile), Json(loaded));
    }

    [Fact]
    public async Task Saving_again_replaces_the_saved_state()
    {
        var profile = Some.Profile(userId: "ada");
        await Store.SaveAsync(profile, Ct);

        await Store.SaveAsync(profile with { TimeZone = "America/New_York" }, Ct);

        Assert.Equal("America/New_York", (await Store.LoadAsync(profile.Id, Ct))?.TimeZone);
    }

    [Fact]
    public async Task An_unknown_profile_loads_as_null()
    {
        Assert.Null(await Store.LoadAsync("prf_nobody", Ct));
    }

    [Theory]
    [InlineData("ada@example.com")]
    [InlineData("Lovelace")]
    [InlineData("user-ada")]
    [InlineData("ADA@EXAMPLE")]
    public async Task Search_finds_a_profile_by_email_name_or_user_id(string query)
    {
        var ada = Some.Profile(userId: "user-ada", email: "ada@example.com", name: "Ada Lovelace");
        await Store.SaveAsync(ada, Ct);
        await Store.SaveAsync(Some.Profile(userId: "user-bob", email: "bob@example.org", name: "Bob Babbage"), Ct);

        var found = await Store.SearchAsync(Some.Workspace, query, 10, Ct);

        Assert.Equal([ada.Id], found.Select(p => p.Id));
    }

    [Fact]
    public async Task Search_treats_like_wildcards_in_the_query_as_text()
    {
        await Store.SaveAsync(Some.Profile(userId: "user-ada", email: "ada@example.com"), Ct);

        Assert.Empty(await Store.SearchAsync(Some.Workspace, "%", 10, Ct));
        Assert.Empty(await Store.SearchAsync(Some.Workspace, "user_ada", 10, Ct));
    }

    [Fact]
    public async Task Search_stays_inside_its_workspace()
    {
        await Store.SaveAsync(Some.Profile(userId: "ada", email: "ada@example.com", workspace: Some.OtherWorkspace), Ct);

        Assert.Empty(await Store.SearchAsync(Some.Workspace, "ada", 10, Ct));
    }

    [Fact]
    public async Task An_empty_search_lists_the_most_recently_seen_profiles_first()
    {
        var older = Some.Profile(userId: "old", lastSeen: Some.Start.AddDays(-3));
        var newer = Some.Profile(userId: "new", lastSeen: Some.Start);
        await Store.SaveAsync(older, Ct);
        await Store.SaveAsync(newer, Ct);

        var listed = await Store.SearchAsync(Some.Workspace, null, 10, Ct);

        Assert.Equal([newer.Id, older.Id], listed.Select(p => p.Id));
    }

    [Fact]
    public async Task An_empty_search_lists_profiles_never_seen_last()
    {
        var seen = Some.Profile(userId: "seen");
        var imported = Some.Profile(userId: "imported") with { Computed = new ComputedTraits() };
        await Store.SaveAsync(imported, Ct);
        await Store.SaveAsync(seen, Ct);

        var listed = await Store.SearchAsync(Some.Workspace, "", 10, Ct);

        Assert.Equal([seen.Id, imported.Id], listed.Select(p => p.Id));
    }

    [Fact]
    public async Task An_erased_profile_loads_as_null_and_is_not_found()
    {
        var profile = Some.Profile(userId: "ada", email: "ada@example.com");
        await Store.SaveAsync(profile, Ct);

        await Store.EraseAsync(Some.Workspace, [profile.Id], Ct);

        Assert.Null(await Store.LoadAsync(profile.Id, Ct));
        Assert.True(await Store.IsErasedAsync(profile.Id, Ct));
        Assert.Empty(await Store.SearchAsync(Some.Workspace, "ada", 10, Ct));
        Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM profiles WHERE state LIKE '%ada%'"));
    }

    [Fact]
    public async Task Saving_an_erased_profile_does_not_bring_it_back()
    {
        var profile = Some.Profile(userId: "ada", email: "ada@example.com");
        await Store.SaveAsync(profile, Ct);
        await Store.EraseAsync(Some.Workspace, [profile.Id], Ct);

        await Store.SaveAsync(profile, Ct);

        Assert.Null(await Store.LoadAsync(profile.Id, Ct));
        Assert.Empty(await Store.SearchAsync(Some.Workspace, "ada", 10, Ct));
    }

    [Fact]
    public async Task A_profile_erased_before_it_was_ever_saved_stays_erased()
    {
        await Store.EraseAsync(Some.Workspace, ["prf_late"], Ct);

        await Store.SaveAsync(Some.Profile(id: "prf_late", userId: "ada"), Ct);

        Assert.Null(await Store.LoadAsync("prf_late", Ct));
        Assert.False(await Store.IsErasedAsync("prf_never_seen", Ct));
    }

    [Fact]
    public async Task Profiles_loaded_at_the_same_time_each_get_their_own_state()
    {
        // Grains waking together are read together: more at once than one query takes, some asked twice, some unknown, one erased.
        var store = Store;
        var saved = Enumerable.Range(0, 300).Select(i => Some.Profile(id: $"prf_{i:D3}", userId: $"user-{i}")).ToList();
        foreach (var profile in saved)
            await store.SaveAsync(profile, Ct);
        await store.EraseAsync(Some.Workspace, ["prf_007"], Ct);
        var asked = saved.Select(p => p.Id).Concat(saved.Take(50).Select(p => p.Id)).Concat(["prf_unknown_1", "prf_unknown_2"]).ToList();
        var byId = saved.ToDictionary(p => p.Id);

        var loaded = await Task.WhenAll(asked.Select(id => store.LoadStoredAsync(id, Ct)));

        for (var i = 0; i < asked.Count; i++)
        {
            var (profile, erased) = loaded[i];
            switch (asked[i])
            {
                case "prf_007":
                    Assert.True(erased);
                    Assert.Null(profile);
                    break;
                case var unknown when unknown.StartsWith("prf_unknown", StringComparison.Ordinal):
                    Assert.False(erased);
                    Assert.Null(profile);
                    break;
                default:
                    Assert.NotNull(profile);
                    Assert.Equal(Json(byId[asked[i]]), Json(profile));
                    break;
            }
        }
    }

    private static string Json(Profile profile) => JsonSerializer.Serialize(profile, StorageJson.Options);
}

public sealed class SqliteProfileStoreContract() : ProfileStoreContract(new SqliteDatabases());

public sealed class PostgresProfileStoreContract(PostgresDatabases postgres) : ProfileStoreContract(postgres);
