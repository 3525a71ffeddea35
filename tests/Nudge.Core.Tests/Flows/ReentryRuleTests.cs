using Nudge.Core.Flows;
using Nudge.Core.Tests.Support;

namespace Nudge.Core.Tests.Flows;

public sealed class ReentryRuleTests
{
    [Fact]
    public void A_first_run_is_always_allowed() => Assert.True(ReentryRule.Once.Allows(null, false, Some.Start));

    [Fact]
    public void Once_means_once_ever() => Assert.False(ReentryRule.Once.Allows(Some.Start, false, Some.Start.AddYears(3)));

    [Fact]
    public void Every_time_allows_a_new_run_after_the_last_ended() =>
        Assert.True(new ReentryRule(ReentryMode.EveryTime).Allows(Some.Start, false, Some.Start.AddMinutes(1)));

    [Fact]
    public void No_rule_allows_a_second_active_run() =>
        Assert.False(new ReentryRule(ReentryMode.EveryTime).Allows(Some.Start, true, Some.Start.AddDays(1)));

    [Fact]
    public void Once_per_period_waits_for_the_period_to_pass()
    {
        var rule = new ReentryRule(ReentryMode.OncePer, TimeSpan.FromDays(30));

        Assert.False(rule.Allows(Some.Start, false, Some.Start.AddDays(29)));
        Assert.True(rule.Allows(Some.Start, false, Some.Start.AddDays(30)));
    }
}
