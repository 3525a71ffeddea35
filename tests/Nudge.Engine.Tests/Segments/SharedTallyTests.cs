using Nudge.Core.Profiles;
using Nudge.Engine.Segments;
using Nudge.Storage.Segments;
using static Nudge.Engine.Tests.Support.Segments;

namespace Nudge.Engine.Tests.Segments;

/// <summary>
/// Segments that count the same events (same event, filters and window) and differ only in their thresholds hold one
/// tally per awake profile. Their answers and saved tallies must be exactly those of tallies kept apart.
/// </summary>
public sealed class SharedTallyTests
{
    private static readonly Profile Ada = Profile.Empty("prf_1", Workspace);

    private static string ViewedShoes(int atLeast, string window = """{"last":30,"unit":"days"}""", string category = "shoes") => $$$"""
        {"name":"Shoes {{{atLeast}}}","condition":{"event":"Product Viewed","where":[{"property":"category","operator":"equals","value":"{{{category}}}"}],
         "count":{"atLeast":{{{atLeast}}}},"window":{{{window}}}}}
        """;

    [Fact]
    public void Segments_that_differ_only_in_their_threshold_count_each_event_once()
    {
        var catalog = new WorkspaceSegments([Segment("seg_2", ViewedShoes(2)), Segment("seg_3", ViewedShoes(3))]);
        var state = new ProfileSegments(Ada.Id, ProfileSegmentState.Empty, catalog, Start);
        var affected = new HashSet<string>();
        state.Fold(Viewed(1, Start), catalog, Start, affected);
        state.Evaluate(Ada, catalog, affected, Start);

        state.Fold(Viewed(2, Start.AddHours(1)), catalog, Start.AddHours(1), affected);
        state.Fold(Viewed(3, Start.AddHours(2)), catalog, Start.AddHours(2), affected);
        var entered = state.Evaluate(Ada, catalog, affected, Start.AddHours(2));
        var saved = TallyText.ReadAll(state.TakeChanges(catalog, Start.AddHours(2))!.LiveTallies!);

        Assert.Equal(["seg_2", "seg_3"], entered.Select(c => c.Segment.Id).Order());
        Assert.All(saved, tally => Assert.Equal(3, tally.Value.Recent.Length));
    }

    [Fact]
    public void A_merged_profiles_events_are_added_once_to_each_segment()
    {
        var catalog = new WorkspaceSegments([Segment("seg_2", ViewedShoes(2)), Segment("seg_3", ViewedShoes(3))]);
        var state = new ProfileSegments(Ada.Id, ProfileSegmentState.Empty, catalog, Start);
        var affected = new HashSet<string>();
        state.Fold(Viewed(1, Start), catalog, Start, affected);
        state.Evaluate(Ada, catalog, affected, Start);
        var other = new ProfileSegments("prf_2", ProfileSegmentState.Empty, catalog, Start);
        other.Fold(Viewed(2, Start.AddMinutes(5), profileId: "prf_2"), catalog, Start.AddMinutes(5), new HashSet<string>());

        state.Absorb(other.AllTallies());
        state.Fold(Viewed(3, Start.AddHours(1)), catalog, Start.AddHours(1), affected);
        var entered = state.Evaluate(Ada, catalog, new HashSet<string> { "seg_2", "seg_3" }, Start.AddHours(1));

        Assert.Equal(["seg_2", "seg_3"], entered.Select(c => c.Segment.Id).Order());
        Assert.All(state.AllTallies(), tally => Assert.Equal(3, TallyText.Read(tally.Tally).Recent.Length));
    }

    [Fact]
    public void A_segment_still_building_keeps_a_tally_of_its_own_until_its_build_is_in()
    {
        var ready = Segment("seg_2", ViewedShoes(2));
        var building = Segment("seg_3", ViewedShoes(3), buildThrough: 1, ready: false);
        var catalog = new WorkspaceSegments([ready, building]);
        var state = new ProfileSegments(Ada.Id, ProfileSegmentState.Empty, catalog, Start);
        var affected = new HashSet<string>();
        state.Fold(Viewed(1, Start), catalog, Start, affected);
        state.Evaluate(Ada, catalog, affected, Start);
        state.Fold(Viewed(2, Start.AddHours(1)), catalog, Start.AddHours(1), affected);

        var built = new Core.Segments.EventTally();
        built.Add(building.Tallied[0].Window, Start, 1, Start);
        var done = Segment("seg_3", ViewedShoes(3), buildThrough: 1);
        var after = new WorkspaceSegments([ready, done]);
        state.Confirm(done, [new TallyRow(done.Tallied[0].TallyKey, TallyText.Write(built), null)], null);
        state.Evaluate(Ada, after, new HashSet<string>(), Start.AddHours(1));
        state.Fold(Viewed(3, Start.AddHours(2)), after, Start.AddHours(2), affected);
        var entered = state.Evaluate(Ada, after, new HashSet<string> { "seg_2", "seg_3" }, Start.AddHours(2));

        Assert.Contains(entered, c => c.Segment.Id == "seg_3" && c.Membership.IsMember);
        Assert.All(state.AllTallies(), tally => Assert.Equal(3, TallyText.Read(tally.Tally).Recent.Length));
    }

    [Fact]
    public void Segments_confirmed_later_share_without_mixing_with_the_groups_already_shared()
    {
        var bags = """{"last":2,"unit":"days"}""";
        CompiledSegment[] early = [Segment("seg_a2", ViewedShoes(2)), Segment("seg_a3", ViewedShoes(3))];
        CompiledSegment[] building = [Segment("seg_b1", ViewedShoes(1, bags, "bags"), ready: false), Segment("seg_b2", ViewedShoes(2, bags, "bags"), ready: false)];
        CompiledSegment[] built = [Segment("seg_b1", ViewedShoes(1, bags, "bags")), Segment("seg_b2", ViewedShoes(2, bags, "bags"))];
        var before = new WorkspaceSegments([.. early, .. building]);
        var after = new WorkspaceSegments([.. early, .. built]);
        var state = new ProfileSegments(Ada.Id, ProfileSegmentState.Empty, before, Start);
        var affected = new HashSet<string>();
        state.Fold(Viewed(1, Start), before, Start, affected);
        state.Fold(Viewed(2, Start, "bags"), before, Start, affected);
        state.Evaluate(Ada, before, affected, Start);

        foreach (var segment in built)
            state.Confirm(segment, [], null);
        state.Evaluate(Ada, after, new HashSet<string>(), Start);
        state.Fold(Viewed(3, Start.AddHours(1), "bags"), after, Start.AddHours(1), affected);
        state.Fold(Viewed(4, Start.AddHours(2)), after, Start.AddHours(2), affected);
        var tallies = state.AllTallies().ToDictionary(t => t.Key[..t.Key.IndexOf(':', StringComparison.Ordinal)], t => TallyText.Read(t.Tally).Recent.Length);

        Assert.Equal(new Dictionary<string, int> { ["seg_a2"] = 2, ["seg_a3"] = 2, ["seg_b1"] = 2, ["seg_b2"] = 2 }, tallies);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Shared_tallies_answer_and_save_like_tallies_kept_apart(int seed)
    {
        CompiledSegment[] segments =
        [
            Segment("seg_a2", ViewedShoes(2)),
            Segment("seg_a3", ViewedShoes(3)),
            Segment("seg_a4", ViewedShoes(4)),
            Segment("seg_e2", ViewedShoes(2, """{"since":"2026-03-05T00:00:00Z"}""")),
            Segment("seg_e5", ViewedShoes(5, """{"since":"2026-03-05T00:00:00Z"}""")),
            Segment("seg_b1", ViewedShoes(1, """{"last":2,"unit":"days"}""", "bags")),
            Segment("seg_b2", ViewedShoes(2, """{"last":2,"unit":"days"}""", "bags")),
        ];
        var random = new Random(seed);
        var together = new Grain(new WorkspaceSegments(segments));
        var apart = segments.Select(s => new Grain(new WorkspaceSegments([s]))).ToList();
        var now = Start;

        for (var step = 0; step < 300; step++)
        {
            now = now.AddHours(random.Next(0, 30));
            var e = Viewed(step + 1, now.AddMinutes(-random.Next(0, 600)), random.Next(3) == 0 ? "bags" : "shoes");
            var action = random.Next(20);
            foreach (var grain in apart.Append(together))
            {
                if (action == 0)
                    grain.Reload(now);
                else if (action == 1)
                    grain.Absorb([Viewed(step + 1, e.Timestamp, e.Body.GetProperty("properties").GetProperty("category").GetString()!, "prf_2")], now);
                else
                    grain.Apply(e, now);
            }

            foreach (var (segment, alone) in segments.Zip(apart))
                Assert.Equal(alone.State.IsMember(segment.Id), together.State.IsMember(segment.Id));
            if (action == 2)
            {
                var savedTogether = together.Save(now);
                foreach (var alone in apart)
                {
                    foreach (var (key, tally) in alone.Save(now))
                        Assert.Equal(tally, savedTogether[key]);
                }
            }
        }
    }

    /// <summary>One profile's segment state, fed and saved the way its grain does.</summary>
    private sealed class Grain(WorkspaceSegments catalog)
    {
        private string _live = "{}";

        public ProfileSegments State { get; private set; } = new(Ada.Id, ProfileSegmentState.Empty, catalog, Start);

        public void Apply(Core.Ingestion.LoggedEvent e, DateTimeOffset now)
        {
            var affected = new HashSet<string>();
            State.Fold(e, catalog, now, affected);
            State.Evaluate(Ada, catalog, affected, now);
        }

        public void Absorb(IReadOnlyList<Core.Ingestion.LoggedEvent> events, DateTimeOffset now)
        {
            var other = new ProfileSegments("prf_2", ProfileSegmentState.Empty, catalog, Start);
            foreach (var e in events)
                other.Fold(e, catalog, now, new HashSet<string>());
            State.Absorb(other.AllTallies());
            State.Evaluate(Ada, catalog, catalog.InOrder.Select(s => s.Id).ToHashSet(), now);
        }

        public Dictionary<string, string> Save(DateTimeOffset now)
        {
            if (State.TakeChanges(catalog, now)?.LiveTallies is { } live)
                _live = live;
            return TallyText.ReadAll(_live).ToDictionary(t => t.Key, t => TallyText.Write(t.Value));
        }

        public void Reload(DateTimeOffset now)
        {
            Save(now);
            State = new ProfileSegments(Ada.Id, new ProfileSegmentState(State.Memberships.ToList(), [new TallyRow(ProfileSegmentState.LiveTalliesKey, null, _live)], null), catalog, now);
            State.Evaluate(Ada, catalog, new HashSet<string>(), now);
        }
    }
}
