using System.Text.Json;
using Nudge.Core.Flows;
using Nudge.Core.Tests.Support;

namespace Nudge.Core.Tests.Flows;

public sealed class FlowSimulationTests
{
    private static SimulationResult Simulate(string flow, string script) =>
        FlowSimulation.Run(FlowJson.Read(flow), "flw_1", Script(script));

    private static SimulationScript Script(string json)
    {
        var (script, errors) = SimulationScriptReader.Read(JsonDocument.Parse(json).RootElement, null, Some.Workspace, Some.Start);
        Assert.True(script is not null, string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        return script!;
    }

    [Fact]
    public void A_simulation_says_what_would_be_sent_when()
    {
        var result = Simulate(FlowJson.CartAbandonment, """{"trigger":{"event":"Checkout Started","properties":{"value":80}}}""");

        Assert.Equal([(Some.Start.AddHours(1), "tpl_cart"), (Some.Start.AddHours(25), "tpl_cart_last")],
            result.Actions.Select(a => (a.At, a.TemplateId)));
        Assert.Equal("completed", result.Status);
    }

    [Fact]
    public void An_order_in_the_script_ends_the_simulated_run_before_the_first_message()
    {
        var result = Simulate(FlowJson.CartAbandonment, """
            {"trigger":{"event":"Checkout Started","properties":{"value":80}},"events":[{"after":{"minutes":30},"event":"Order Completed"}]}
            """);

        Assert.Empty(result.Actions);
        Assert.Equal(("exited", "exit event: Order Completed"), (result.Status, result.EndReason));
    }

    [Fact]
    public void The_path_explains_which_branch_was_taken()
    {
        var result = Simulate("""
            {"name":"Thanks","trigger":{"event":"Order Completed"},"start":"vip",
             "steps":{"vip":{"type":"split","condition":{"property":"traits.vip","operator":"equals","value":true},"yes":"a","no":"b"},
                      "a":{"type":"send","channel":"email","template":"tpl_vip"},"b":{"type":"send","channel":"email","template":"tpl_normal"}}}
            """, """{"profile":{"traits":{"vip":true}},"trigger":{"event":"Order Completed"}}""");

        Assert.Contains(result.Path, p => p.StepId == "vip" && p.Outcome == "branch yes");
        Assert.Equal(["tpl_vip"], result.Actions.Select(a => a.TemplateId));
    }

    [Fact]
    public void A_later_split_sees_what_an_earlier_step_set_on_the_profile()
    {
        var result = Simulate("""
            {"name":"Lead","trigger":{"event":"Signed Up"},"start":"score",
             "steps":{"score":{"type":"adjustScore","score":"lead_score","by":50,"next":"hot"},
                      "hot":{"type":"split","condition":{"property":"traits.lead_score","operator":"greaterOrEqual","value":50},"yes":"call"},
                      "call":{"type":"webhook","url":"https://crm.example.com/hot"}}}
            """, """{"trigger":{"event":"Signed Up"}}""");

        Assert.Equal(["adjustScore", "webhook"], result.Actions.Select(a => a.Kind));
    }

    [Fact]
    public void A_trigger_that_does_not_match_enters_nothing_and_says_why()
    {
        var result = Simulate(FlowJson.CartAbandonment, """{"trigger":{"event":"Checkout Started","properties":{"value":5}}}""");

        Assert.False(result.Entered);
        Assert.Contains("does not match", result.NotEnteredReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_still_waiting_at_the_horizon_says_until_when()
    {
        var result = Simulate(FlowJson.CartAbandonment, """{"trigger":{"event":"Checkout Started","properties":{"value":80}},"horizon":{"hours":2}}""");

        Assert.Equal(("active", "wait2", Some.Start.AddHours(25)), (result.Status, result.Step, result.WaitingUntil));
    }

    [Fact]
    public void A_bad_script_names_its_fields()
    {
        var (_, errors) = SimulationScriptReader.Read(
            JsonDocument.Parse("""{"events":[{"event":"X"}],"start":"soon","horizon":{"weeks":1}}""").RootElement, null, Some.Workspace, Some.Start);

        Assert.Equal(["events[0].after", "horizon.weeks", "start"], errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }
}
