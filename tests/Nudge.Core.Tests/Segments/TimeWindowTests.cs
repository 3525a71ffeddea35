using Nudge.Core.Segments;

namespace Nudge.Core.Tests.Segments;

public sealed class TimeWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_rolling_window_admits_events_after_its_start_only()
    {
        var window = new TimeWindow(Last: TimeSpan.FromDays(30));

        Assert.True(window.Admits(Now.AddDays(-30).AddMilliseconds(1), Now));
        Assert.False(window.Admits(Now.AddDays(-30), Now));
    }

    [Fact]
    public void A_fixed_window_admits_its_start_but_not_its_end()
    {
        var window = new TimeWindow(Since: Now.AddDays(-10), Until: Now.AddDays(-5));

        Assert.True(window.Admits(Now.AddDays(-10), Now));
        Assert.False(window.Admits(Now.AddDays(-5), Now));
        Assert.False(window.Admits(Now.AddDays(-11), Now));
    }

    [Fact]
    public void Ever_admits_everything()
    {
        Assert.True(TimeWindow.Ever.Admits(DateTimeOffset.MinValue, Now));
    }
}
