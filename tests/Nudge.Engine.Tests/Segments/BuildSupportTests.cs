using Nudge.Core.Segments;
using Nudge.Engine.Segments;
using static Nudge.Engine.Tests.Support.Segments;

namespace Nudge.Engine.Tests.Segments;

public sealed class BuildSupportTests
{
    [Fact]
    public void A_tally_reads_back_from_its_stored_text()
    {
        var tally = new EventTally();
        tally.Add(new TimeWindow(Last: TimeSpan.FromDays(30)), Start, 12.5m, Start);
        tally.Add(new TimeWindow(Last: TimeSpan.FromDays(30)), Start.AddMinutes(1), 3m, Start);

        var read = TallyText.Read(TallyText.Write(tally));

        Assert.Equal(tally.Recent.ToArray(), read.Recent.ToArray());
        Assert.Equal((tally.Count, tally.Sum), (read.Count, read.Sum));
    }

    [Fact]
    public void A_build_skips_bodies_that_cannot_hold_the_filtered_word()
    {
        var condition = Segment("seg_1", ViewedShoesTwice).Tallied[0];

        Assert.False(condition.MightMatch("""{"properties":{"category":"hats"}}"""));
        Assert.True(condition.MightMatch("""{"properties":{"category":"SHOES"}}"""));
    }

    [Fact]
    public void A_body_with_escaped_characters_is_always_parsed()
    {
        var condition = Segment("seg_1", ViewedShoesTwice).Tallied[0];

        Assert.True(condition.MightMatch("""{"properties":{"category":"\u0073hoes"}}"""));
    }

    [Fact]
    public void Numeric_operands_never_skip_a_body()
    {
        var condition = Segment("seg_1", """
            {"name":"n","condition":{"event":"Order Completed","where":[{"property":"items","operator":"equals","value":"3"}]}}
            """).Tallied[0];

        Assert.Empty(condition.RequiredTexts);
    }

    [Fact]
    public void A_build_checkpoint_restores_the_scan_position_and_tallies()
    {
        var tallies = new BuildTallies(2) { ScannedThrough = 1234 };
        tallies.Get("prf_1", 1).Add(TimeWindow.Ever, Start, 5m, Start);

        var restored = BuildTallies.FromCheckpoint(tallies.ToCheckpoint(), 2);

        Assert.Equal((1234L, false), (restored.ScannedThrough, restored.Scanned));
        Assert.Null(restored.ByProfile["prf_1"][0]);
        Assert.Equal((1L, 5m), (restored.ByProfile["prf_1"][1]!.Count, restored.ByProfile["prf_1"][1]!.Sum));
    }
}
