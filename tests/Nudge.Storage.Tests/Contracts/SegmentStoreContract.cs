using Nudge.Storage.Profiles;
using Nudge.Storage.Segments;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class SegmentStoreContract(IDatabaseSource databases) : StoreContract(databases)
{
    private const string Definition = """{"name":"Buyers","condition":{"event":"Order Completed"}}""";

    private SegmentStore Store => new(Database, Time);

    [Fact]
    public async Task A_new_segment_starts_building_at_version_one()
    {
        var created = await Store.CreateAsync(Some.Workspace, "Buyers", Definition, 42, Ct);

        var loaded = await Store.GetAsync(Some.Workspace, created.Id, Ct);

        Assert.NotNull(loaded);
        Assert.Equal(("Buyers", 1L, SegmentStatus.Building, 42L, Definition), (loaded.Name, loaded.Version, loaded.Status, loaded.BuildThrough, loaded.Definition));
    }

    [Fact]
    public async Task Editing_a_segment_makes_a_new_version_that_builds_again()
    {
        var created = await Store.CreateAsync(Some.Workspace, "Buyers", Definition, 42, Ct);
        await Store.MarkReadyAsync(created.Id, 1, Ct);

        var edited = await Store.UpdateAsync(Some.Workspace, created.Id, "Big buyers", Definition, 99, Ct);

        Assert.Equal((2L, SegmentStatus.Building, 99L, "Big buyers"), (edited!.Version, edited.Status, edited.BuildThrough, edited.Name));
    }

    [Fact]
    public async Task Marking_an_old_version_ready_does_not_touch_the_new_one()
    {
        var created = await Store.CreateAsync(Some.Workspace, "Buyers", Definition, 1, Ct);
        await Store.UpdateAsync(Some.Workspace, created.Id, "Buyers", Definition, 2, Ct);

        var marked = await Store.MarkReadyAsync(created.Id, 1, Ct);

        Assert.False(marked);
        Assert.Equal(SegmentStatus.Building, (await Store.GetAsync(Some.Workspace, created.Id, Ct))!.Status);
    }

    [Fact]
    public async Task A_deleted_segment_is_gone_with_its_members()
    {
        var created = await Store.CreateAsync(Some.Workspace, "Buyers", Definition, 1, Ct);
        await SaveMembershipAsync(created.Id, "prf_1", member: true);

        Assert.True(await Store.DeleteAsync(Some.Workspace, created.Id, Ct));

        Assert.Null(await Store.GetAsync(Some.Workspace, created.Id, Ct));
        Assert.Empty(await Store.ListAsync(Some.Workspace, Ct));
        Assert.Equal(0, await new SegmentMembers(Database).CountAsync(created.Id, Ct));
    }

    [Fact]
    public async Task Segments_of_another_workspace_are_not_visible()
    {
        var created = await Store.CreateAsync("ws_other", "Buyers", Definition, 1, Ct);

        Assert.Null(await Store.GetAsync(Some.Workspace, created.Id, Ct));
        Assert.Empty(await Store.ListAsync(Some.Workspace, Ct));
        Assert.Single(await Store.ListAllAsync(Ct));
    }

    [Fact]
    public async Task Build_progress_and_checkpoint_are_kept_per_version()
    {
        var created = await Store.CreateAsync(Some.Workspace, "Buyers", Definition, 1, Ct);

        await Store.SetBuildProgressAsync(created.Id, 1, "scanning", 500, 1000, Ct);
        await Store.SaveCheckpointAsync(created.Id, 1, [1, 2, 3], Ct);

        var loaded = await Store.GetAsync(Some.Workspace, created.Id, Ct);
        Assert.Equal(("scanning", 500L, 1000L), (loaded!.Build.Phase, loaded.Build.Done, loaded.Build.Total));
        Assert.Equal([1, 2, 3], await Store.LoadCheckpointAsync(created.Id, 1, Ct));
        Assert.Null(await Store.LoadCheckpointAsync(created.Id, 2, Ct));
    }

    [Fact]
    public async Task Members_page_in_profile_id_order_and_count_only_current_members()
    {
        var segment = await Store.CreateAsync(Some.Workspace, "Buyers", Definition, 1, Ct);
        foreach (var id in new[] { "prf_c", "prf_a", "prf_d", "prf_b" })
            await SaveMembershipAsync(segment.Id, id, member: id != "prf_d");
        var members = new SegmentMembers(Database);

        var first = await members.PageAsync(segment.Id, null, 2, Ct);
        var second = await members.PageAsync(segment.Id, first[^1].ProfileId, 2, Ct);

        Assert.Equal(["prf_a", "prf_b"], first.Select(m => m.ProfileId));
        Assert.Equal(["prf_c"], second.Select(m => m.ProfileId));
        Assert.Equal(3, await members.CountAsync(segment.Id, Ct));
    }

    [Fact]
    public async Task A_profiles_segment_state_saves_with_the_profile_and_loads_back()
    {
        var profile = Some.Profile(userId: "ada");
        var states = new SegmentStateStore(Database, DerivedState);
        var wakeUp = Some.Start.AddDays(30);

        await states.SaveAsync(profile, new SegmentStateChanges(
            profile.Id,
            [new SegmentMembership("seg_1", profile.Id, true, Some.Start, 1)],
            "{\"seg_1:1/condition\":{\"n\":1}}",
            [],
            wakeUp,
            WakeUpChanged: true), null, Ct);
        var loaded = await states.LoadAsync(profile.Id, Ct);

        Assert.Equal([new SegmentMembership("seg_1", profile.Id, true, Some.Start, 1)], loaded.Memberships);
        Assert.Equal([new TallyRow(ProfileSegmentState.LiveTalliesKey, null, "{\"seg_1:1/condition\":{\"n\":1}}")], loaded.Tallies);
        Assert.Equal(wakeUp, loaded.WakeUp);
    }

    [Fact]
    public async Task A_builds_rows_stay_apart_from_the_grains_row_until_the_grain_drops_them()
    {
        var profile = Some.Profile(userId: "ada");
        var states = new SegmentStateStore(Database, DerivedState);
        await new SegmentBuildWrites(Database).WriteAsync([new BuiltProfile(profile.Id, false, Some.Start, [("seg_1:1/c", "{\"n\":5}")], null)], "seg_1", Ct);

        await states.SaveAsync(profile, Changes(profile.Id, live: "{\"seg_1:1/c\":{\"n\":1}}"), null, Ct);
        var before = await states.LoadAsync(profile.Id, Ct);
        await states.SaveAsync(profile, Changes(profile.Id, live: "{\"seg_1:1/c\":{\"n\":6}}", dropped: ["seg_1:1/c"]), null, Ct);
        var after = await states.LoadAsync(profile.Id, Ct);

        Assert.Equal(2, before.Tallies.Count);
        Assert.Contains(new TallyRow("seg_1:1/c", "{\"n\":5}", null), before.Tallies);
        Assert.Equal([new TallyRow(ProfileSegmentState.LiveTalliesKey, null, "{\"seg_1:1/c\":{\"n\":6}}")], after.Tallies);
    }

    [Fact]
    public async Task Erasing_a_profile_removes_its_memberships_tallies_and_wake_ups()
    {
        var profile = Some.Profile(userId: "ada");
        var states = new SegmentStateStore(Database, DerivedState);
        await states.SaveAsync(profile, new SegmentStateChanges(
            profile.Id, [new SegmentMembership("seg_1", profile.Id, true, Some.Start, 1)], "{}", [], Some.Start.AddDays(1), true), null, Ct);

        await new ProfileStore(Database, DerivedState).EraseAsync(profile.WorkspaceId, [profile.Id], Ct);

        Assert.Equal(ProfileSegmentState.Empty, await states.LoadAsync(profile.Id, Ct));
        Assert.Equal(0, await new SegmentMembers(Database).CountAsync("seg_1", Ct));
    }

    private async Task SaveMembershipAsync(string segmentId, string profileId, bool member)
    {
        var states = new SegmentStateStore(Database, DerivedState);
        await states.SaveAsync(Some.Profile(userId: profileId) with { Id = profileId },
            new SegmentStateChanges(profileId, [new SegmentMembership(segmentId, profileId, member, Some.Start, 1)], null, [], null, false), null, Ct);
    }

    private static SegmentStateChanges Changes(string profileId, string live, IReadOnlyList<string>? dropped = null) =>
        new(profileId, [], live, dropped ?? [], null, false);
}

public sealed class SqliteSegmentStoreContract() : SegmentStoreContract(new SqliteDatabases());

public sealed class PostgresSegmentStoreContract(PostgresDatabases postgres) : SegmentStoreContract(postgres);
