using Nudge.Core.Profiles;
using Nudge.Engine.Segments;
using Nudge.Storage.Segments;
using static Nudge.Engine.Tests.Support.Segments;

namespace Nudge.Engine.Tests.Segments;

public sealed class ProfileSegmentsTests
{
    private static readonly Profile Ada = Profile.Empty("prf_1", Workspace);

    [Fact]
    public void A_profile_enters_when_its_events_match_and_the_change_is_numbered()
    {
        var catalog = new WorkspaceSegments([Segment("seg_1", ViewedShoesTwice)]);
        var state = new ProfileSegments(Ada.Id, ProfileSegmentState.Empty, catalog, Start);
        var affected = new HashSet<string>();

        state.Fold(Viewed(1, Start), catalog, Start, affected);
        state.Fold(Viewed(2, Start.AddHours(1)), catalog, Start.AddHours(1), affected);
        var changes = state.Evaluate(Ada, catalog, affected, Start.AddHours(1));

        var change = Assert.Single(changes);
        Assert.Equal((true, 1L, Start.AddHours(1)), (change.Membership.IsMember, change.Membership.Changes, change.Membership.ChangedAt));
    }

    [Fact]
    public void Leaving_is_the_second_change_and_the_wake_up_is_when_the_older_view_leaves_the_window()
    {
        var catalog = new WorkspaceSegments([Segment("seg_1", ViewedShoesTwice)]);
        var state = new ProfileSegments(Ada.Id, ProfileSegmentState.Empty, catalog, Start);
        var affected = new HashSet<string>();
        state.Fold(Viewed(1, Start), catalog, Start, affected);
        state.Fold(Viewed(2, Start.AddDays(1)), catalog, Start.AddDays(1), affected);
        state.Evaluate(Ada, catalog, affected, Start.AddDays(1));

        var saved = state.TakeChanges(catalog, Start.AddDays(1));
        var left = state.Evaluate(Ada, catalog, new HashSet<string> { "seg_1" }, Start.AddDays(30));

        Assert.Equal((Start.AddDays(30), true), (saved!.WakeUp, saved.WakeUpChanged));
        Assert.Equal((false, 2L), (Assert.Single(left).Membership.IsMember, left[0].Membership.Changes));
    }

    [Fact]
    public void Events_up_to_the_build_boundary_are_left_to_the_build()
    {
        var catalog = new WorkspaceSegments([Segment("seg_1", ViewedShoesTwice, buildThrough: 10)]);
        var state = new ProfileSegments(Ada.Id, ProfileSegmentState.Empty, catalog, Start);
        var affected = new HashSet<string>();

        var counted = state.Fold(Viewed(10, Start), catalog, Start, affected);

        Assert.False(counted);
        Assert.Empty(affected);
    }

    [Fact]
    public void A_segment_still_building_is_not_answered()
    {
        var building = new WorkspaceSegments([Segment("seg_1", ViewedShoesTwice, ready: false)]);
        var state = new ProfileSegments(Ada.Id, ProfileSegmentState.Empty, building, Start);
        var affected = new HashSet<string>();
        state.Fold(Viewed(1, Start), building, Start, affected);
        state.Fold(Viewed(2, Start), building, Start, affected);

        Assert.Empty(state.Evaluate(Ada, building, affected, Start));
        Assert.Single(state.Unconfirmed(new WorkspaceSegments([Segment("seg_1", ViewedShoesTwice)])));
    }

    [Fact]
    public void Once_confirmed_the_built_part_counts_and_is_folded_into_the_live_part_on_save()
    {
        var ready = new WorkspaceSegments([Segment("seg_1", ViewedShoesTwice, buildThrough: 5)]);
        var segment = ready.InOrder[0];
        var key = segment.Tallied[0].TallyKey;
        var built = new Core.Segments.EventTally();
        built.Add(segment.Tallied[0].Window, Start, 1, Start);
        var state = new ProfileSegments(Ada.Id, ProfileSegmentState.Empty, new WorkspaceSegments([Segment("seg_1", ViewedShoesTwice, 5, ready: false)]), Start);
        var affected = new HashSet<string>();
        state.Fold(Viewed(6, Start.AddHours(1)), ready, Start.AddHours(1), affected);

        state.Confirm(segment, [new TallyRow(key, TallyText.Write(built), null)], null);
        var entered = state.Evaluate(Ada, ready, new HashSet<string> { "seg_1" }, Start.AddHours(1));
        var saved = state.TakeChanges(ready, Start.AddHours(1));

        Assert.True(Assert.Single(entered).Membership.IsMember);
        var (savedKey, live) = Assert.Single(TallyText.ReadAll(saved!.LiveTallies!));
        Assert.Equal((key, 2), (savedKey, live.Recent.Length));
        Assert.Equal([key], saved.DroppedTallies);
    }

    [Fact]
    public void A_save_writes_all_of_a_profiles_tallies_as_one_document()
    {
        var catalog = new WorkspaceSegments([Segment("seg_1", ViewedShoesTwice), Segment("seg_2", ViewedShoesTwice)]);
        var state = new ProfileSegments(Ada.Id, ProfileSegmentState.Empty, catalog, Start);
        state.Fold(Viewed(1, Start), catalog, Start, new HashSet<string>());

        var saved = state.TakeChanges(catalog, Start);
        var reloaded = new ProfileSegments(Ada.Id, new ProfileSegmentState([], [new TallyRow(ProfileSegmentState.LiveTalliesKey, null, saved!.LiveTallies)], null), catalog, Start);

        Assert.Equal(2, TallyText.ReadAll(saved.LiveTallies!).Count());
        Assert.Equal(2, reloaded.AllTallies().Count);
    }

    [Fact]
    public void Tallies_of_a_deleted_segment_are_dropped_on_save()
    {
        var catalog = new WorkspaceSegments([Segment("seg_1", ViewedShoesTwice)]);
        var stored = new ProfileSegmentState([], [new TallyRow(ProfileSegmentState.LiveTalliesKey, null, """{"seg_gone:1/condition":{"n":1}}""")], null);
        var state = new ProfileSegments(Ada.Id, stored, catalog, Start);

        var saved = state.TakeChanges(catalog, Start);

        Assert.Equal("{}", saved!.LiveTallies);
    }

    [Fact]
    public void A_segment_reading_another_is_answered_after_it_in_the_same_pass()
    {
        var fans = Segment("seg_1", ViewedShoesTwice);
        var vip = Segment("seg_2", """{"name":"VIP","condition":{"segment":"seg_1"}}""");
        var catalog = new WorkspaceSegments([fans, vip]);
        var state = new ProfileSegments(Ada.Id, ProfileSegmentState.Empty, catalog, Start);
        state.Evaluate(Ada, catalog, new HashSet<string>(), Start);
        var affected = new HashSet<string>();
        state.Fold(Viewed(1, Start), catalog, Start, affected);
        state.Fold(Viewed(2, Start), catalog, Start, affected);

        var changes = state.Evaluate(Ada, catalog, affected, Start);

        Assert.Equal(["seg_1", "seg_2"], changes.Select(c => c.Segment.Id));
    }
}
