using Nudge.Core.Flows;
using Nudge.Engine.Flows;
using Nudge.Engine.Tests.Support;

namespace Nudge.Engine.Tests.Flows;

/// <summary>
/// Exactly once across crashes: the engine is killed at every persistence point of every move of a run (the start
/// and the wake-up), restarted from the store, and handed the same stimulus again, as the partition reader and the
/// wake-up service do after a crash. Every step must happen once: one message per send step, one event per profile
/// step, one coupon code, a complete run.
/// </summary>
public sealed class FlowCrashTests
{
    private const string CartAbandonment = """
        {"name":"Cart abandonment","trigger":{"event":"Checkout Started"},"exitOn":[{"event":"Order Completed"}],"start":"stage",
         "steps":{"stage":{"type":"updateProfile","trait":"stage","value":"cart","next":"join"},
                  "join":{"type":"addToList","list":"lst_cart","next":"remind"},
                  "remind":{"type":"send","channel":"email","template":"tpl_cart","next":"pause"},
                  "pause":{"type":"wait","duration":{"hours":1},"next":"coupon"},
                  "coupon":{"type":"assignCoupon","pool":"POOL","next":"tag"},
                  "tag":{"type":"addTag","tag":"abandoner","next":"last"},
                  "last":{"type":"send","channel":"email","template":"tpl_last"}}}
        """;

    public static TheoryData<FlowCrashPoint, int> EveryPointOfEveryMove()
    {
        var data = new TheoryData<FlowCrashPoint, int>();
        foreach (var point in Enum.GetValues<FlowCrashPoint>())
        {
            data.Add(point, 1);
            data.Add(point, 2);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPointOfEveryMove))]
    public async Task A_crash_neither_loses_nor_repeats_a_step(FlowCrashPoint point, int move)
    {
        await using var engine = await FlowEngine.StartAsync();
        var pool = await engine.Coupons.CreatePoolAsync(FlowEngine.Workspace, new Nudge.Core.Coupons.CouponPoolSettings(
            "Comeback", null, Nudge.Core.Coupons.CouponType.Percent, 10m, null, Nudge.Core.Coupons.CouponValidity.Unlimited, 1, 0, null), CancellationToken.None);
        await engine.Coupons.AddCodesAsync(FlowEngine.Workspace, pool.Id, ["COME-1", "COME-2", "COME-3"], "uploaded", CancellationToken.None);
        await engine.LiveFlowAsync(CartAbandonment.Replace("POOL", pool.Id, StringComparison.Ordinal));
        var crash = new CrashAt(point, move);
        var process = new Process(engine, crash);
        var trigger = engine.Event("Checkout Started", new { value = 50 });

        await process.DeliverAsync((host, flows) => host.OnEventsAsync(flows, engine.Ada, [trigger], _ => false));
        engine.Clock.Advance(TimeSpan.FromHours(1));
        await process.WakeDueRunsAsync();
        engine.Clock.Advance(TimeSpan.FromDays(1));
        await process.WakeDueRunsAsync();

        Assert.True(crash.Crashed);
        var run = Assert.Single(await engine.Runs.OfProfileAsync(FlowEngine.Workspace, engine.Ada.Id, CancellationToken.None));
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(1, await engine.CountAsync("SELECT COUNT(*) FROM outbox WHERE message_key = @p0", run.Id + ":remind"));
        Assert.Equal(1, await engine.CountAsync("SELECT COUNT(*) FROM outbox WHERE message_key = @p0", run.Id + ":last"));
        foreach (var step in new[] { "stage", "join", "tag" })
            Assert.Equal(1, await engine.CountAsync("SELECT COUNT(*) FROM events WHERE message_id = @p0", FlowEffects.MessageId(run.Id, step)));
        Assert.Equal(1, await engine.CountAsync("SELECT COUNT(*) FROM coupon_codes WHERE run_id = @p0", run.Id));
        var history = await engine.Runs.HistoryAsync(run.Id, CancellationToken.None);
        Assert.Equal(["trigger", "stage", "join", "remind", "pause", "pause", "coupon", "tag", "last"], history.Select(h => h.StepId));
        var code = (await engine.Coupons.ForRunAsync(FlowEngine.Workspace, run.Id, CancellationToken.None))!.Code;
        Assert.Equal($"coupon {code} from {pool.Id}", history.Single(h => h.StepId == "coupon").Outcome);
        Assert.Empty(await engine.DueAsync());
    }

    [Fact]
    public async Task A_trigger_delivered_again_after_the_run_was_saved_starts_no_second_run()
    {
        await using var engine = await FlowEngine.StartAsync();
        await engine.LiveFlowAsync(CartAbandonment);
        var trigger = engine.Event("Checkout Started");
        var first = engine.Host();
        await first.OnEventsAsync(await first.LoadAsync(engine.Ada.Id, FlowEngine.Workspace), engine.Ada, [trigger], _ => false);

        var restarted = engine.Host();
        await restarted.OnEventsAsync(await restarted.LoadAsync(engine.Ada.Id, FlowEngine.Workspace), engine.Ada, [trigger], _ => false);

        Assert.Single(await engine.Runs.OfProfileAsync(FlowEngine.Workspace, engine.Ada.Id, CancellationToken.None));
    }

    [Fact]
    public async Task A_wake_up_that_comes_after_a_restart_fires_once()
    {
        await using var engine = await FlowEngine.StartAsync();
        await engine.LiveFlowAsync(CartAbandonment);
        var host = engine.Host();
        await host.OnEventsAsync(await host.LoadAsync(engine.Ada.Id, FlowEngine.Workspace), engine.Ada, [engine.Event("Checkout Started")], _ => false);
        engine.Clock.Advance(TimeSpan.FromHours(3));

        var due = Assert.Single(await engine.DueAsync());
        var restarted = engine.Host();
        var flows = await restarted.LoadAsync(engine.Ada.Id, FlowEngine.Workspace);
        await restarted.OnTimerAsync(flows, engine.Ada, due.Key, due.Due, _ => false);
        await restarted.OnTimerAsync(await restarted.LoadAsync(engine.Ada.Id, FlowEngine.Workspace), engine.Ada, due.Key, due.Due, _ => false);

        Assert.Equal(1, await engine.CountAsync("SELECT COUNT(*) FROM outbox WHERE message_key LIKE '%:last'"));
    }

    /// <summary>The engine process: crashes when told, then restarts from the store and gets the same stimulus again.</summary>
    private sealed class Process(FlowEngine engine, IFlowCrashes crashes)
    {
        private FlowHost _host = engine.Host(crashes);
        private ProfileFlows? _flows;

        public async Task DeliverAsync(Func<FlowHost, ProfileFlows, Task> stimulus)
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                _flows ??= await _host.LoadAsync(engine.Ada.Id, FlowEngine.Workspace);
                try
                {
                    await stimulus(_host, _flows);
                    return;
                }
                catch (SimulatedCrash)
                {
                    // Everything in memory is gone; the next process reads the store (and crashes no more).
                    _host = engine.Host();
                    _flows = null;
                }
            }
            throw new InvalidOperationException("the stimulus never went through");
        }

        /// <summary>Claims due wake-ups, hands them over and removes them, as the wake-up service does; a crash leaves them to be claimed again.</summary>
        public async Task WakeDueRunsAsync()
        {
            for (var round = 0; round < 3; round++)
            {
                var due = await engine.DueAsync();
                if (due.Count == 0)
                    return;
                var crashed = false;
                await DeliverAsync(async (host, flows) =>
                {
                    try
                    {
                        foreach (var timer in due)
                            await host.OnTimerAsync(flows, engine.Ada, timer.Key, timer.Due, _ => false);
                    }
                    catch (SimulatedCrash)
                    {
                        crashed = true;
                        throw;
                    }
                });
                if (!crashed)
                    await engine.CompleteAsync(due);
            }
        }
    }
}
