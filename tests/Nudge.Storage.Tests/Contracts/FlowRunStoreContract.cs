using System.Text.Json;
using Nudge.Core.Flows;
using Nudge.Storage.Flows;
using Nudge.Storage.Outbox;
using Nudge.Storage.Tests.Support;
using Nudge.Storage.Timers;

namespace Nudge.Storage.Tests.Contracts;

public abstract class FlowRunStoreContract(IDatabaseSource databases) : StoreContract(databases)
{
    private FlowRunStore Store => new(Database);

    private static FlowRun Run(string id = "run_1", RunStatus status = RunStatus.Active, string step = "wait", RunWait? wait = null, string flow = "flw_1") =>
        new(id, Some.Workspace, flow, 1, "prf_1", status, step, Some.Start, Some.Start, status == RunStatus.Active ? null : Some.Start.AddHours(1),
            status == RunStatus.Active ? null : "completed", JsonSerializer.SerializeToElement(new { properties = new { value = 42 } }),
            wait ?? (status == RunStatus.Active ? new RunWait(Some.Start.AddHours(1), false) : null), 2);

    private static StepRecord Line(string step, string outcome, int minutes = 0) => new(step, step == "trigger" ? "trigger" : "wait", Some.Start.AddMinutes(minutes), outcome);

    [Fact]
    public async Task A_saved_run_loads_back_as_the_profiles_active_run()
    {
        var run = Run();
        await DerivedState.SaveRunsAsync([new RunWrite(run, [Line("wait", "waiting")], [])], Ct);

        var loaded = await Store.LoadForProfileAsync("prf_1", Ct);

        var active = Assert.Single(loaded.Active);
        Assert.Equal(run with { Trigger = default }, active with { Trigger = default });
        Assert.Equal(42, active.Trigger.GetProperty("properties").GetProperty("value").GetInt32());
        Assert.Equal(Some.Start, loaded.LastStarts["flw_1"]);
        Assert.Contains("run_1", loaded.KnownRunIds);
    }

    [Fact]
    public async Task A_waiting_run_has_a_wake_up_in_the_timer_table()
    {
        await DerivedState.SaveRunsAsync([new RunWrite(Run(), [], [])], Ct);

        var due = await new TimerStore(Database).DueAsync(Some.Start.AddHours(1), 10, Ct);

        Assert.Equal(("prf_1", FlowRunStore.TimerKind, "run_1"), (Assert.Single(due).ProfileId, due[0].Kind, due[0].Key));
    }

    [Fact]
    public async Task Profiles_loaded_at_the_same_time_each_get_their_own_runs_and_date_wake_ups()
    {
        // Grains waking together are read together: each profile must get its own rows, and only when it asked, its dates.
        var store = Store;
        var people = Enumerable.Range(0, 300).Select(i => $"prf_{i:D3}").ToList();
        await DerivedState.SaveRunsAsync(people.Select(p => new RunWrite(Run(id: "run_" + p) with { ProfileId = p }, [], [])).ToList(), Ct);
        await store.SaveDateWakeUpsAsync("prf_001", new Dictionary<string, DateTimeOffset?> { ["flw_birthday"] = Some.Start.AddDays(3) }, Ct);

        var loaded = await Task.WhenAll(people.Append("prf_nobody").Select((p, i) => store.LoadForProfileAsync(p, Ct, withDateWakeUps: i % 2 == 1)));

        for (var i = 0; i < people.Count; i++)
            Assert.Equal("run_" + people[i], Assert.Single(loaded[i].Active).Id);
        Assert.Equal(Some.Start.AddDays(3), loaded[1].DateWakeUps["flw_birthday"]);
        Assert.All(loaded.Where((_, i) => i != 1), runs => Assert.Empty(runs.DateWakeUps));
        Assert.Empty(loaded[^1].KnownRunIds);
    }

    [Fact]
    public async Task A_run_that_ends_drops_its_wake_up_and_leaves_the_active_runs()
    {
        await DerivedState.SaveRunsAsync([new RunWrite(Run(), [], [])], Ct);

        await DerivedState.SaveRunsAsync([new RunWrite(Run(status: RunStatus.Completed, step: "mail"), [], [])], Ct);

        Assert.Empty(await new TimerStore(Database).DueAsync(Some.Start.AddDays(1), 10, Ct));
        Assert.Empty((await Store.LoadForProfileAsync("prf_1", Ct)).Active);
        Assert.Equal(RunStatus.Completed, (await Store.GetAsync(Some.Workspace, "run_1", Ct))!.Status);
    }

    [Fact]
    public async Task History_lines_of_several_moves_keep_their_order()
    {
        await DerivedState.SaveRunsAsync([new RunWrite(Run(), [Line("trigger", "Checkout Started"), Line("wait", "waiting")], [])], Ct);
        await DerivedState.SaveRunsAsync([new RunWrite(Run(step: "mail"), [Line("wait", "wait over", 60), Line("mail", "queued email tpl_1", 60)], [])], Ct);

        var history = await Store.HistoryAsync("run_1", Ct);

        Assert.Equal(["Checkout Started", "waiting", "wait over", "queued email tpl_1"], history.Select(h => h.Outcome));
    }

    [Fact]
    public async Task A_message_is_written_with_its_run_once_however_often_the_move_is_saved()
    {
        var message = OutboxMessage.FromFlow(Some.Workspace, "prf_1", "ada@example.com",
            new FlowMessage("tpl_1", "flw_1", "run_1", "mail", 5, false, TimeSpan.FromHours(4)), "email", Some.Start);

        await DerivedState.SaveRunsAsync([new RunWrite(Run(step: "wait2"), [], [message])], Ct);
        await DerivedState.SaveRunsAsync([new RunWrite(Run(step: "wait2"), [], [message with { Id = "out_again" }])], Ct);

        var found = await new OutboxStore(Database).FindAsync("run_1:mail", Ct);
        Assert.Equal((OutboxMessage.Queued, "ada@example.com"), (found!.Status, found.Recipient));
        Assert.Equal(message.Flow, found.Flow);
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM outbox WHERE run_id = @p0", "run_1"));
    }

    [Fact]
    public async Task Runs_of_a_flow_are_listed_newest_first_and_by_status()
    {
        await DerivedState.SaveRunsAsync([new RunWrite(Run("run_a"), [], []), new RunWrite(Run("run_b", RunStatus.Completed) with { StartedAt = Some.Start.AddMinutes(5) }, [], [])], Ct);

        Assert.Equal(["run_b", "run_a"], (await Store.OfFlowAsync(Some.Workspace, "flw_1", null, 10, Ct)).Select(r => r.Id));
        Assert.Equal(["run_a"], (await Store.OfFlowAsync(Some.Workspace, "flw_1", RunStatus.Active, 10, Ct)).Select(r => r.Id));
        Assert.Equal(2, (await Store.OfProfileAsync(Some.Workspace, "prf_1", Ct)).Count);
    }

    [Fact]
    public async Task Step_counts_say_how_many_entered_wait_and_ended_at_each_step()
    {
        await DerivedState.SaveRunsAsync(
        [
            new RunWrite(Run("run_a"), [Line("trigger", "t"), Line("wait", "waiting")], []),
            new RunWrite(Run("run_b", RunStatus.Completed, step: "mail"), [Line("trigger", "t"), Line("wait", "waiting"), Line("mail", "sent")], []),
        ], Ct);

        var counts = await Store.StepCountsAsync("flw_1", Ct);

        Assert.Equal([new StepCount("mail", 1, 0, 1, 0), new StepCount("wait", 2, 1, 0, 0)], counts);
    }
}

public sealed class SqliteFlowRunStoreContract() : FlowRunStoreContract(new SqliteDatabases());

public sealed class PostgresFlowRunStoreContract(PostgresDatabases postgres) : FlowRunStoreContract(postgres);
