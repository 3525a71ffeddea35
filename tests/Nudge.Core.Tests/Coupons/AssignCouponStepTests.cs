using Nudge.Core.Flows;
using Nudge.Core.Tests.Flows;

namespace Nudge.Core.Tests.Coupons;

public sealed class AssignCouponStepTests
{
    [Fact]
    public void An_assignCoupon_step_reads_its_pool_and_next_step()
    {
        var flow = FlowJson.Read("""
            {"name":"W","trigger":{"event":"Signed Up"},"start":"coupon",
             "steps":{"coupon":{"type":"assignCoupon","pool":"cpl_welcome","next":"mail"},"mail":{"type":"send","channel":"email","template":"tpl_1"}}}
            """);

        Assert.Equal(new AssignCouponStep("coupon", "cpl_welcome", "mail"), flow.Steps["coupon"]);
    }

    [Fact]
    public void An_assignCoupon_step_without_a_pool_is_an_error_on_its_pool_field()
    {
        var errors = FlowJson.Errors("""{"name":"W","trigger":{"event":"Signed Up"},"start":"coupon","steps":{"coupon":{"type":"assignCoupon"}}}""");

        Assert.Equal("steps.coupon.pool", Assert.Single(errors).Field);
    }

    [Fact]
    public void The_runner_asks_for_the_coupon_before_the_send_that_shows_it_and_goes_on()
    {
        var harness = new RunHarness("""
            {"name":"W","trigger":{"event":"Signed Up"},"start":"coupon",
             "steps":{"coupon":{"type":"assignCoupon","pool":"cpl_welcome","next":"mail"},"mail":{"type":"send","channel":"email","template":"tpl_1"}}}
            """);

        harness.Start();

        Assert.Equal(RunStatus.Completed, harness.Run!.Status);
        Assert.Collection(harness.Effects,
            e => Assert.Equal(new AssignCoupon("coupon", "cpl_welcome"), e),
            e => Assert.IsType<SendMessage>(e));
        Assert.Contains(harness.History, h => h.StepId == "coupon" && h.Kind == "assignCoupon");
    }
}
