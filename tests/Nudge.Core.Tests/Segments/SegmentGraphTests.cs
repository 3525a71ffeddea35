using Nudge.Core.Segments;
using static Nudge.Core.Tests.Segments.Definitions;

namespace Nudge.Core.Tests.Segments;

/// <summary>References between segments: what they name, unknown segments, cycles and the order of evaluation.</summary>
public sealed class SegmentGraphTests
{
    /// <summary>A condition that is a member of each of <paramref name="segmentIds"/>.</summary>
    private static Condition MemberOf(params string[] segmentIds) =>
        new AllOf([.. segmentIds.Select(id => new SegmentMembershipCondition(id))]);

    private static Func<string, Condition?> Stored(Dictionary<string, Condition> segments) =>
        id => segments.GetValueOrDefault(id);

    // ---- references ----------------------------------------------------------------------------------

    [Fact]
    public void The_segments_and_lists_a_condition_names_are_found_at_any_depth()
    {
        var condition = Valid("""
            { "or": [ { "segment": "seg_a" }, { "not": { "and": [ { "list": "lst_1" }, { "segment": "seg_b" } ] } },
                      { "segment": "seg_a" }, { "list": "lst_2" }, { "event": "Order Completed" } ] }
            """);

        Assert.Equal(["seg_a", "seg_b"], SegmentReferences.SegmentsOf(condition).Order(StringComparer.Ordinal));
        Assert.Equal(["lst_1", "lst_2"], SegmentReferences.ListsOf(condition).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_condition_without_references_names_none()
    {
        var condition = Valid("""{ "property": "email", "operator": "isSet" }""");

        Assert.Empty(SegmentReferences.SegmentsOf(condition));
        Assert.Empty(SegmentReferences.ListsOf(condition));
    }

    // ---- check ---------------------------------------------------------------------------------------

    [Fact]
    public void References_to_existing_segments_without_a_cycle_pass() =>
        Assert.Empty(SegmentGraph.Check("seg_a", MemberOf("seg_b"), Stored(new() { ["seg_b"] = MemberOf("seg_c"), ["seg_c"] = MemberOf() })));

    [Fact]
    public void An_unknown_segment_is_reported_on_the_node_that_names_it()
    {
        var condition = Valid("""{ "and": [ { "list": "lst_1" }, { "not": { "segment": "seg_gone" } } ] }""");

        var error = Assert.Single(SegmentGraph.Check("seg_a", condition, Stored([])));

        error.Names("condition.and[1].not", "unknown segment 'seg_gone'");
    }

    [Fact]
    public void A_segment_that_refers_to_itself_is_a_cycle() =>
        Assert.Single(SegmentGraph.Check("seg_a", Valid("""{ "segment": "seg_a" }"""), Stored([])))
            .Names("condition", "segment 'seg_a' -> 'seg_a' forms a cycle");

    [Fact]
    public void Two_segments_that_refer_to_each_other_form_a_cycle() =>
        Assert.Single(SegmentGraph.Check("seg_a", MemberOf("seg_b"), Stored(new() { ["seg_b"] = MemberOf("seg_a") })))
            .Names("condition.and[0]", "segment 'seg_a' -> 'seg_b' -> 'seg_a' forms a cycle");

    [Fact]
    public void A_longer_cycle_is_reported_with_every_segment_on_the_way()
    {
        var stored = Stored(new()
        {
            ["seg_b"] = MemberOf("seg_x", "seg_c"),
            ["seg_c"] = MemberOf("seg_d"),
            ["seg_d"] = MemberOf("seg_a"),
            ["seg_x"] = MemberOf(),
        });

        Assert.Single(SegmentGraph.Check("seg_a", MemberOf("seg_b"), stored))
            .Names("condition.and[0]", "segment 'seg_a' -> 'seg_b' -> 'seg_c' -> 'seg_d' -> 'seg_a' forms a cycle");
    }

    [Fact]
    public void The_stored_definition_of_the_segment_being_saved_is_never_read()
    {
        var asked = new List<string>();
        var stored = Stored(new() { ["seg_a"] = MemberOf("seg_old"), ["seg_b"] = MemberOf("seg_c"), ["seg_c"] = MemberOf("seg_a") });

        SegmentGraph.Check("seg_a", MemberOf("seg_b"), id =>
        {
            asked.Add(id);
            return stored(id);
        });

        Assert.DoesNotContain("seg_a", asked);
    }

    [Fact]
    public void A_cycle_among_other_segments_is_not_the_saved_segments_error() =>
        Assert.Empty(SegmentGraph.Check("seg_a", MemberOf("seg_b"), Stored(new() { ["seg_b"] = MemberOf("seg_c"), ["seg_c"] = MemberOf("seg_b") })));

    [Fact]
    public void Every_unknown_and_cyclic_reference_is_reported()
    {
        var errors = SegmentGraph.Check("seg_a", MemberOf("seg_gone", "seg_b", "seg_a"), Stored(new() { ["seg_b"] = MemberOf("seg_a") }));

        Assert.Equal(["condition.and[0]", "condition.and[1]", "condition.and[2]"], errors.Select(e => e.Field));
    }

    // ---- evaluation order ----------------------------------------------------------------------------

    [Fact]
    public void Segments_are_evaluated_after_the_segments_they_refer_to()
    {
        var order = SegmentGraph.EvaluationOrder(new Dictionary<string, Condition>
        {
            ["vip"] = MemberOf("buyers", "engaged"),
            ["engaged"] = MemberOf("subscribers"),
            ["buyers"] = MemberOf(),
            ["subscribers"] = MemberOf(),
        });

        Assert.Equal(["buyers", "subscribers", "engaged", "vip"], order);
    }

    [Fact]
    public void Independent_segments_are_evaluated_in_id_order() =>
        Assert.Equal(
            ["a", "b", "c"],
            SegmentGraph.EvaluationOrder(new Dictionary<string, Condition> { ["c"] = MemberOf(), ["a"] = MemberOf(), ["b"] = MemberOf() }));

    [Fact]
    public void References_to_segments_not_given_do_not_hold_up_the_order() =>
        Assert.Equal(["a", "b"], SegmentGraph.EvaluationOrder(new Dictionary<string, Condition> { ["b"] = MemberOf("a", "gone"), ["a"] = MemberOf() }));

    [Fact]
    public void Segments_caught_in_a_cycle_come_last_instead_of_stopping_the_others() =>
        Assert.Equal(
            ["free", "x", "y", "z"],
            SegmentGraph.EvaluationOrder(new Dictionary<string, Condition>
            {
                ["x"] = MemberOf("y"),
                ["y"] = MemberOf("x"),
                ["z"] = MemberOf("x"),
                ["free"] = MemberOf(),
            }));
}
