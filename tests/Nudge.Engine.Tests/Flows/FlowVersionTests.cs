using Nudge.Core.Flows;
using Nudge.Engine.Tests.Support;

namespace Nudge.Engine.Tests.Flows;

/// <summary>
/// Editing a live flow while runs wait in it: each edit chooses whether the runs in progress move to the new version
/// or finish on the one they started on; new runs always start on the newest version.
/// </summary>
public sealed class FlowVersionTests
{
    private const string Welcome = """
        {"name":"Welcome","trigger":{"event":"Signed Up"},"start":"pause",
         "steps":{"pause":{"type":"wait","duration":{"days":1},"next":"hello"},
                  "hello":{"type":"send","channel":"email","template":"tpl_hello_v1"}}}
        """;

    private const string WelcomeWithNewMail = """
        {"name":"Welcome","trigger":{"event":"Signed Up"},"start":"pause",
         "steps":{"pause":{"type":"wait","duration":{"days":1},"next":"hello"},
                  "hello":{"type":"send","channel":"email","template":"tpl_hello_v2"}}}
        """;

    private const string WelcomeWithoutThePause = """
        {"name":"Welcome","trigger":{"event":"Signed Up"},"start":"hello",
         "steps":{"hello":{"type":"send","channel":"email","template":"tpl_hello_v2"}}}
        """;

    [Fact]
    public async Task A_waiting_run_moves_to_the_new_version_when_the_edit_moves_runs()
    {
        await using var engine = await FlowEngine.StartAsync();
        var flow = await engine.LiveFlowAsync(Welcome);
        var host = engine.Host();
        await host.OnEventsAsync(await host.LoadAsync(engine.Ada.Id, FlowEngine.Workspace), engine.Ada, [engine.Event("Signed Up")], _ => false);

        await EditAsync(engine, flow, WelcomeWithNewMail, moveRuns: true);
        await WakeAfterADayAsync(engine);

        await AssertSentOnlyAsync(engine, "tpl_hello_v2");
        Assert.Equal(2, Assert.Single(await engine.Runs.OfProfileAsync(FlowEngine.Workspace, engine.Ada.Id, CancellationToken.None)).Version);
    }

    [Fact]
    public async Task A_waiting_run_finishes_on_its_own_version_when_the_edit_leaves_runs()
    {
        await using var engine = await FlowEngine.StartAsync();
        var flow = await engine.LiveFlowAsync(Welcome);
        var host = engine.Host();
        await host.OnEventsAsync(await host.LoadAsync(engine.Ada.Id, FlowEngine.Workspace), engine.Ada, [engine.Event("Signed Up")], _ => false);

        await EditAsync(engine, flow, WelcomeWithNewMail, moveRuns: false);
        await WakeAfterADayAsync(engine);

        await AssertSentOnlyAsync(engine, "tpl_hello_v1");
    }

    [Fact]
    public async Task A_run_stays_on_its_version_when_the_new_version_no_longer_has_its_step()
    {
        await using var engine = await FlowEngine.StartAsync();
        var flow = await engine.LiveFlowAsync(Welcome);
        var host = engine.Host();
        await host.OnEventsAsync(await host.LoadAsync(engine.Ada.Id, FlowEngine.Workspace), engine.Ada, [engine.Event("Signed Up")], _ => false);

        await EditAsync(engine, flow, WelcomeWithoutThePause, moveRuns: true);
        await WakeAfterADayAsync(engine);

        await AssertSentOnlyAsync(engine, "tpl_hello_v1");
        Assert.Equal(RunStatus.Completed, Assert.Single(await engine.Runs.OfProfileAsync(FlowEngine.Workspace, engine.Ada.Id, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_run_started_after_the_edit_starts_on_the_new_version()
    {
        await using var engine = await FlowEngine.StartAsync();
        var flow = await engine.LiveFlowAsync(Welcome);

        await EditAsync(engine, flow, WelcomeWithoutThePause, moveRuns: false);
        var host = engine.Host();
        await host.OnEventsAsync(await host.LoadAsync(engine.Ada.Id, FlowEngine.Workspace), engine.Ada, [engine.Event("Signed Up")], _ => false);

        await AssertSentOnlyAsync(engine, "tpl_hello_v2");
    }

    private static Task EditAsync(FlowEngine engine, string flowId, string definition, bool moveRuns) =>
        engine.Catalog.ChangeAsync(
            () => engine.Flows.SaveVersionAsync(FlowEngine.Workspace, flowId, "Welcome", definition, moveRuns, CancellationToken.None),
            CancellationToken.None);

    /// <summary>A day later, a restarted engine (runs read back from the store) gets the due wake-up.</summary>
    private static async Task WakeAfterADayAsync(FlowEngine engine)
    {
        engine.Clock.Advance(TimeSpan.FromDays(1));
        var due = Assert.Single(await engine.DueAsync());
        var host = engine.Host();
        await host.OnTimerAsync(await host.LoadAsync(engine.Ada.Id, FlowEngine.Workspace), engine.Ada, due.Key, due.Due, _ => false);
        await engine.CompleteAsync([due]);
    }

    /// <summary>One message was written to the outbox, and it uses <paramref name="template"/>.</summary>
    private static async Task AssertSentOnlyAsync(FlowEngine engine, string template)
    {
        Assert.Equal(1, await engine.CountAsync("SELECT COUNT(*) FROM outbox"));
        Assert.Equal(1, await engine.CountAsync("SELECT COUNT(*) FROM outbox WHERE template_id = @p0", template));
    }
}
