using System.Text.Json.Nodes;
using Nudge.Core.Flows;
using Nudge.Core.Tests.Support;

namespace Nudge.Core.Tests.Flows;

public sealed class FlowRunnerTests
{
    [Fact]
    public void A_run_waits_before_its_first_message()
    {
        var run = new RunHarness(FlowJson.CartAbandonment).Start().Advance(TimeSpan.FromMinutes(59));

        Assert.Empty(run.Sent);
        Assert.Equal("wait", run.Run!.Step);
        Assert.Equal(Some.Start.AddHours(1), run.Run.Wait!.Due);
    }

    [Fact]
    public void The_message_is_queued_when_the_wait_is_over()
    {
        var run = new RunHarness(FlowJson.CartAbandonment).Start().Advance(TimeSpan.FromHours(1));

        var sent = Assert.Single(run.Sent);
        Assert.Equal(("remind", "email", "tpl_cart"), (sent.StepId, sent.Channel, sent.TemplateId));
        Assert.Equal("wait2", run.Run!.Step);
    }

    [Fact]
    public void A_run_walks_to_the_end_and_completes()
    {
        var run = new RunHarness(FlowJson.CartAbandonment).Start().Advance(TimeSpan.FromDays(2));

        Assert.Equal(["tpl_cart", "tpl_cart_last"], run.Sent.Select(s => s.TemplateId));
        Assert.Equal(RunStatus.Completed, run.Run!.Status);
        Assert.Equal(Some.Start.AddHours(25), run.Run.EndedAt);
    }

    [Fact]
    public void Cart_abandonment_stops_when_order_is_placed()
    {
        var run = new RunHarness(FlowJson.CartAbandonment).Start()
            .Advance(TimeSpan.FromMinutes(30))
            .Happens(Some.OrderCompleted())
            .Advance(TimeSpan.FromDays(3));

        Assert.Empty(run.Sent);
        Assert.Equal(RunStatus.Exited, run.Run!.Status);
        Assert.Equal("exit event: Order Completed", run.Run.EndReason);
        Assert.Null(run.Run.Wait);
    }

    [Fact]
    public void An_exit_event_during_the_second_wait_stops_the_last_message()
    {
        var run = new RunHarness(FlowJson.CartAbandonment).Start()
            .Advance(TimeSpan.FromHours(2))
            .Happens(Some.OrderCompleted())
            .Advance(TimeSpan.FromDays(3));

        Assert.Equal(["tpl_cart"], run.Sent.Select(s => s.TemplateId));
        Assert.Equal(RunStatus.Exited, run.Run!.Status);
    }

    [Fact]
    public void Other_events_do_not_move_a_waiting_run()
    {
        var run = new RunHarness(FlowJson.CartAbandonment).Start().Happens(Some.ProductViewed());

        Assert.Equal("wait", run.Run!.Step);
        Assert.True(run.Run.IsActive);
    }

    [Fact]
    public void A_wake_up_for_a_moment_the_run_no_longer_waits_for_changes_nothing()
    {
        var harness = new RunHarness(FlowJson.CartAbandonment).Start();
        var run = harness.Run!;

        var stale = FlowRunner.OnTimer(harness.Flow, run, Some.Start.AddMinutes(5), harness.Facts, Some.Start.AddHours(2));

        Assert.False(stale.Moved);
        Assert.Same(run, stale.Run);
    }

    [Fact]
    public void A_wake_up_read_back_from_storage_to_the_millisecond_still_fires()
    {
        var harness = new RunHarness(FlowJson.CartAbandonment);
        harness.Clock.Advance(TimeSpan.FromTicks(1234));
        harness.Start();
        var stored = DateTimeOffset.FromUnixTimeMilliseconds(harness.Run!.Wait!.Due!.Value.ToUnixTimeMilliseconds());

        var woken = FlowRunner.OnTimer(harness.Flow, harness.Run, stored, harness.Facts, stored.AddSeconds(1));

        Assert.Single(woken.Effects);
    }

    [Fact]
    public void A_wake_up_delivered_twice_moves_the_run_once()
    {
        var harness = new RunHarness(FlowJson.CartAbandonment).Start();
        var due = harness.Run!.Wait!.Due!.Value;
        var first = FlowRunner.OnTimer(harness.Flow, harness.Run, due, harness.Facts, due);

        var second = FlowRunner.OnTimer(harness.Flow, first.Run, due, harness.Facts, due.AddSeconds(1));

        Assert.Single(first.Effects);
        Assert.False(second.Moved);
    }

    [Fact]
    public void A_late_wake_up_within_the_allowed_lateness_still_sends()
    {
        var run = new RunHarness(WithWait("""{"hours":1}""", maxLateness: """{"hours":6}""")).Start()
            .Advance(TimeSpan.FromHours(8), lateBy: TimeSpan.FromHours(5));

        Assert.Single(run.Sent);
    }

    [Fact]
    public void A_wake_up_later_than_the_allowed_lateness_exits_without_a_stale_message()
    {
        var run = new RunHarness(WithWait("""{"hours":1}""", maxLateness: """{"hours":6}""")).Start()
            .Advance(TimeSpan.FromDays(3), lateBy: TimeSpan.FromDays(2));

        Assert.Empty(run.Sent);
        Assert.Equal(RunStatus.Exited, run.Run!.Status);
        Assert.Equal("too late", run.Run.EndReason);
    }

    [Fact]
    public void Without_a_max_lateness_a_late_wake_up_goes_on()
    {
        var run = new RunHarness(WithWait("""{"hours":1}""")).Start().Advance(TimeSpan.FromDays(3), lateBy: TimeSpan.FromDays(2));

        Assert.Single(run.Sent);
    }

    [Fact]
    public void The_flow_filter_is_checked_before_every_step()
    {
        var run = new RunHarness("""
            {"name":"Welcome","trigger":{"event":"Signed Up"},"filter":{"consent":"email","status":"subscribed"},"start":"wait",
             "steps":{"wait":{"type":"wait","duration":{"days":1},"next":"mail"},"mail":{"type":"send","channel":"email","template":"tpl_w"}}}
            """);
        run.Facts.Profile = run.Facts.Profile with { Consent = run.Facts.Profile.Consent.SetItem("email", true) };
        run.Start();
        run.Facts.Profile = run.Facts.Profile with { Consent = run.Facts.Profile.Consent.SetItem("email", false) };

        run.Advance(TimeSpan.FromDays(2));

        Assert.Empty(run.Sent);
        Assert.Equal("filter", run.Run!.EndReason);
    }

    [Fact]
    public void A_profile_that_fails_the_flow_filter_never_enters()
    {
        var run = new RunHarness("""
            {"name":"Welcome","trigger":{"event":"Signed Up"},"filter":{"consent":"email","status":"subscribed"},"start":"mail",
             "steps":{"mail":{"type":"send","channel":"email","template":"tpl_w"}}}
            """).Start();

        Assert.Null(run.Run);
    }

    [Fact]
    public void Wait_for_event_takes_the_event_branch_when_the_event_happens()
    {
        var run = new RunHarness(WaitForReview).Start().Advance(TimeSpan.FromDays(1)).Happens(Some.Track("Product Reviewed", new JsonObject { ["rating"] = 5 }));

        Assert.Equal(["tpl_thanks"], run.Sent.Select(s => s.TemplateId));
        Assert.Equal(RunStatus.Completed, run.Run!.Status);
    }

    [Fact]
    public void Wait_for_event_takes_the_timeout_branch_when_time_runs_out()
    {
        var run = new RunHarness(WaitForReview).Start().Advance(TimeSpan.FromDays(7));

        Assert.Equal(["tpl_reminder"], run.Sent.Select(s => s.TemplateId));
        Assert.Contains(run.History, h => h.StepId == "await" && h.Outcome.Contains("timeout branch", StringComparison.Ordinal));
    }

    [Fact]
    public void Wait_for_event_ignores_events_that_fail_its_filter()
    {
        var run = new RunHarness(WaitForReview).Start().Happens(Some.Track("Product Reviewed", new JsonObject { ["rating"] = 2 }));

        Assert.Empty(run.Sent);
        Assert.Equal("await", run.Run!.Step);
    }

    [Fact]
    public void A_conditional_split_follows_the_profile()
    {
        const string Vip = """
            {"name":"Thanks","trigger":{"event":"Order Completed"},"start":"split",
             "steps":{"split":{"type":"split","condition":{"property":"traits.vip","operator":"equals","value":true},"yes":"vip","no":"normal"},
                      "vip":{"type":"send","channel":"email","template":"tpl_vip"},
                      "normal":{"type":"send","channel":"email","template":"tpl_normal"}}}
            """;
        var vip = new RunHarness(Vip);
        vip.Facts.Profile = vip.Facts.Profile with { Traits = vip.Facts.Profile.Traits.SetItem("vip", Some.Json(true)) };

        Assert.Equal(["tpl_vip"], vip.Start().Sent.Select(s => s.TemplateId));
        Assert.Equal(["tpl_normal"], new RunHarness(Vip).Start().Sent.Select(s => s.TemplateId));
    }

    [Fact]
    public void A_random_split_is_sticky_per_run_and_follows_the_weights()
    {
        var split = (RandomSplitStep)FlowJson.Read(AbTest).Steps["ab"];

        var picks = Enumerable.Range(0, 4000).Select(i => FlowRunner.Pick(split, $"run_{i}").Name).ToList();

        Assert.All(Enumerable.Range(0, 50), i => Assert.Equal(FlowRunner.Pick(split, $"run_{i}"), FlowRunner.Pick(split, $"run_{i}")));
        Assert.InRange(picks.Count(p => p == "A") / 4000.0, 0.72, 0.78);
    }

    [Fact]
    public void Profile_list_tag_score_and_webhook_steps_ask_for_their_effects()
    {
        var run = new RunHarness("""
            {"name":"Lead","trigger":{"event":"Signed Up"},"start":"set",
             "steps":{"set":{"type":"updateProfile","trait":"stage","value":"lead","next":"list"},
                      "list":{"type":"addToList","list":"lst_news","next":"tag"},
                      "tag":{"type":"addTag","tag":"warm","next":"score"},
                      "score":{"type":"adjustScore","score":"lead_score","by":10,"next":"hook"},
                      "hook":{"type":"webhook","url":"https://crm.example.com/hooks/lead"}}}
            """).Start();

        Assert.Collection(run.Effects,
            e => Assert.Equal("stage", Assert.IsType<SetTrait>(Assert.IsType<ChangeProfile>(e).Change).Trait),
            e => Assert.Equal(("lst_news", true), (Assert.IsType<ChangeList>(e).ListId, ((ChangeList)e).Join)),
            e => Assert.Equal(new ChangeTag("warm", true), Assert.IsType<ChangeProfile>(e).Change),
            e => Assert.Equal(new AddToScore("lead_score", 10), Assert.IsType<ChangeProfile>(e).Change),
            e => Assert.Equal("crm.example.com", Assert.IsType<CallWebhook>(e).Url.Host));
        Assert.Equal(RunStatus.Completed, run.Run!.Status);
    }

    [Fact]
    public void Moving_to_another_flow_ends_this_run_and_starts_the_other()
    {
        var run = new RunHarness("""
            {"name":"Router","trigger":{"event":"Signed Up"},"start":"move","steps":{"move":{"type":"moveToFlow","flow":"flw_other"}}}
            """).Start();

        Assert.Equal("flw_other", Assert.IsType<StartFlow>(Assert.Single(run.Effects)).FlowId);
        Assert.Equal(RunStatus.Exited, run.Run!.Status);
    }

    [Fact]
    public void Cancelling_a_waiting_run_ends_it_and_drops_its_wait()
    {
        var harness = new RunHarness(FlowJson.CartAbandonment).Start();

        var cancelled = FlowRunner.Cancel(harness.Run!, Some.Start.AddMinutes(1), "by API");

        Assert.Equal(RunStatus.Cancelled, cancelled.Run.Status);
        Assert.Null(cancelled.Run.Wait);
    }

    [Fact]
    public void One_scheduled_occurrence_gives_each_profile_its_own_run() =>
        Assert.NotEqual(FlowRunner.RunId("flw_1", "prf_1", "schedule:1"), FlowRunner.RunId("flw_1", "prf_2", "schedule:1"));

    [Fact]
    public void The_same_trigger_gives_the_same_run_id() =>
        Assert.Equal(FlowRunner.RunId("flw_1", "prf_1", "msg_9"), FlowRunner.RunId("flw_1", "prf_1", "msg_9"));

    [Fact]
    public void The_history_tells_the_path_in_order()
    {
        var run = new RunHarness(FlowJson.CartAbandonment).Start().Advance(TimeSpan.FromHours(1));

        Assert.Equal(["trigger", "wait", "wait", "remind", "wait2"], run.History.Select(h => h.StepId));
        Assert.Equal("queued email tpl_cart", run.History[3].Outcome);
    }

    private const string WaitForReview = """
        {"name":"Review","trigger":{"event":"Order Fulfilled"},"start":"await",
         "steps":{"await":{"type":"waitForEvent","event":{"event":"Product Reviewed","where":[{"property":"rating","operator":"greaterThan","value":3}]},
                           "timeout":{"days":5},"onEvent":"thanks","onTimeout":"remind"},
                  "thanks":{"type":"send","channel":"email","template":"tpl_thanks"},
                  "remind":{"type":"send","channel":"email","template":"tpl_reminder"}}}
        """;

    private const string AbTest = """
        {"name":"AB","trigger":{"event":"Signed Up"},"start":"ab",
         "steps":{"ab":{"type":"randomSplit","branches":[{"name":"A","weight":75,"next":"a"},{"name":"B","weight":25,"next":"b"}]},
                  "a":{"type":"send","channel":"email","template":"tpl_a"},"b":{"type":"send","channel":"email","template":"tpl_b"}}}
        """;

    private static string WithWait(string duration, string? maxLateness = null)
    {
        var lateness = maxLateness is null ? "" : ",\"maxLateness\":" + maxLateness;
        return "{\"name\":\"Reminder\",\"trigger\":{\"event\":\"Checkout Started\"},\"start\":\"wait\",\"steps\":{"
            + "\"wait\":{\"type\":\"wait\",\"duration\":" + duration + lateness + ",\"next\":\"mail\"},"
            + "\"mail\":{\"type\":\"send\",\"channel\":\"email\",\"template\":\"tpl_r\"}}}";
    }

}
