using Nudge.Core.Segments;
using Nudge.Core.Tests.Support;
using static Nudge.Core.Tests.Support.Conditions;

namespace Nudge.Core.Tests.Segments;

public sealed class EventTallyTests
{
    private static readonly DateTimeOffset T = Some.Start;
    private static readonly TimeWindow LastDay = Last(TimeSpan.FromDays(1));

    private static DateTimeOffset[] Times(EventTally tally) => [.. tally.Recent.ToArray().Select(e => e.At)];

    [Fact]
    public void A_rolling_tally_keeps_its_entries_in_time_order_whatever_the_arrival_order()
    {
        var tally = new EventTally();
        tally.Add(LastDay, T.AddHours(3), 1, T.AddHours(4));
        tally.Add(LastDay, T.AddHours(1), 2, T.AddHours(4));
        tally.Add(LastDay, T.AddHours(2), 3, T.AddHours(4));
        tally.Add(LastDay, T.AddHours(5), 4, T.AddHours(5));

        Assert.Equal([T.AddHours(1), T.AddHours(2), T.AddHours(3), T.AddHours(5)], Times(tally));
        Assert.Equal(0, tally.Count);
    }

    [Fact]
    public void An_event_at_the_window_edge_is_not_added()
    {
        var tally = new EventTally();
        tally.Add(LastDay, T, 1, T.AddDays(1));

        Assert.True(tally.IsEmpty);
    }

    [Fact]
    public void Prune_drops_the_entries_that_left_the_window()
    {
        var tally = new EventTally();
        foreach (var hours in new[] { 0, 1, 2 })
            tally.Add(LastDay, T.AddHours(hours), 1, T.AddHours(2));

        tally.Prune(LastDay, T.AddDays(1).AddHours(1));

        Assert.Equal([T.AddHours(2)], Times(tally));
    }

    [Fact]
    public void A_long_window_pruned_to_its_last_entries_keeps_counting_in_order()
    {
        var tally = new EventTally();
        for (var minutes = 0; minutes < 100; minutes++)
            tally.Add(LastDay, T.AddMinutes(minutes), 1, T.AddMinutes(minutes));

        tally.Prune(LastDay, T.AddDays(1).AddMinutes(97));
        tally.Add(LastDay, T.AddDays(1).AddMinutes(98), 1, T.AddDays(1).AddMinutes(98));
        tally.Add(LastDay, T.AddMinutes(99).AddSeconds(30), 1, T.AddDays(1).AddMinutes(98));

        Assert.Equal([T.AddMinutes(98), T.AddMinutes(99), T.AddMinutes(99).AddSeconds(30), T.AddDays(1).AddMinutes(98)], Times(tally));
    }

    [Fact]
    public void A_fixed_window_tally_counts_and_sums_only_inside_the_window()
    {
        var window = Between(T, T.AddDays(1));
        var tally = new EventTally();
        tally.Add(window, T.AddTicks(-1), 10, T);
        tally.Add(window, T, 20, T);
        tally.Add(window, T.AddDays(1).AddTicks(-1), 30, T);
        tally.Add(window, T.AddDays(1), 40, T);

        Assert.Equal((2L, 50m), (tally.Count, tally.Sum));
        Assert.True(tally.Recent.IsEmpty);
    }

    [Fact]
    public void Absorbing_merges_a_disjoint_history()
    {
        var live = new EventTally();
        live.Add(LastDay, T.AddHours(1), 1, T.AddHours(3));
        live.Add(LastDay, T.AddHours(3), 1, T.AddHours(3));
        var built = new EventTally();
        built.Add(LastDay, T.AddHours(2), 1, T.AddHours(3));
        built.Add(LastDay, T.AddHours(4), 1, T.AddHours(4));

        live.Absorb(built);

        Assert.Equal([T.AddHours(1), T.AddHours(2), T.AddHours(3), T.AddHours(4)], Times(live));
    }

    [Fact]
    public void Absorbing_adds_counts_and_sums()
    {
        var one = new EventTally();
        one.Add(TimeWindow.Ever, T, 10, T);
        var other = new EventTally();
        other.Add(TimeWindow.Ever, T, 5, T);
        other.Add(TimeWindow.Ever, T, 5, T);

        one.Absorb(other);

        Assert.Equal((3L, 20m), (one.Count, one.Sum));
    }

    [Fact]
    public void A_restored_tally_is_in_time_order()
    {
        var tally = EventTally.Restore(3, 12.5m, [new(T.AddHours(2), 1), new(T, 2)]);

        Assert.Equal((3L, 12.5m), (tally.Count, tally.Sum));
        Assert.Equal([T, T.AddHours(2)], Times(tally));
        Assert.False(tally.IsEmpty);
        Assert.True(EventTally.Restore(0, 0, []).IsEmpty);
    }
}
