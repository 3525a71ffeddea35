using System.Text.Json;
using Nudge.Core.Flows;
using Nudge.Engine.Tests.Support;

namespace Nudge.Engine.Tests.Flows;

public sealed class DateFlowTests
{
    private const string Birthday = """
        {"name":"Birthday","trigger":{"date":{"property":"traits.birthday","time":"10:00","fallbackZone":"UTC"}},
         "reentry":{"mode":"everyTime"},"start":"wish","steps":{"wish":{"type":"send","channel":"email","template":"tpl_birthday"}}}
        """;

    [Fact]
    public async Task A_profile_with_a_birthday_gets_a_wake_up_for_its_next_birthday()
    {
        await using var engine = await FlowEngine.StartAsync();
        var flow = await engine.LiveFlowAsync(Birthday);
        var ada = WithBirthday(engine, "1990-03-05");
        var host = engine.Host();

        await host.OnEventsAsync(await host.LoadAsync(ada.Id), ada, [engine.Event("Signed Up")], _ => false);

        var wakeUps = (await engine.Runs.LoadForProfileAsync(ada.Id, CancellationToken.None)).DateWakeUps;
        Assert.Equal(new DateTimeOffset(2026, 3, 5, 10, 0, 0, TimeSpan.Zero), wakeUps[flow]);
    }

    [Fact]
    public async Task The_birthday_starts_a_run_once_and_sets_next_years_moment()
    {
        await using var engine = await FlowEngine.StartAsync();
        var flow = await engine.LiveFlowAsync(Birthday);
        var ada = WithBirthday(engine, "1990-03-05");
        var host = engine.Host();
        var flows = await host.LoadAsync(ada.Id);
        await host.OnEventsAsync(flows, ada, [engine.Event("Signed Up")], _ => false);
        var due = new DateTimeOffset(2026, 3, 5, 10, 0, 0, TimeSpan.Zero);
        engine.Clock.SetUtcNow(due);

        await host.OnDateAsync(flows, ada, flow, due, _ => false);
        await host.OnDateAsync(await host.LoadAsync(ada.Id), ada, flow, due, _ => false);

        var run = Assert.Single(await engine.Runs.OfProfileAsync(FlowEngine.Workspace, ada.Id, CancellationToken.None));
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(1, await engine.CountAsync("SELECT COUNT(*) FROM outbox WHERE message_key = @p0", run.Id + ":wish"));
        Assert.Equal(due.AddYears(1), (await engine.Runs.LoadForProfileAsync(ada.Id, CancellationToken.None)).DateWakeUps[flow]);
    }

    [Fact]
    public async Task Changing_the_birthday_moves_the_wake_up()
    {
        await using var engine = await FlowEngine.StartAsync();
        var flow = await engine.LiveFlowAsync(Birthday);
        var host = engine.Host();
        var flows = await host.LoadAsync(engine.Ada.Id);
        await host.OnEventsAsync(flows, WithBirthday(engine, "1990-03-05"), [engine.Event("Signed Up")], _ => false);

        await host.OnEventsAsync(flows, WithBirthday(engine, "1990-08-20"), [engine.Event("Profile Updated", sequence: 2)], _ => false);

        Assert.Equal(new DateTimeOffset(2026, 8, 20, 10, 0, 0, TimeSpan.Zero),
            (await engine.Runs.LoadForProfileAsync(engine.Ada.Id, CancellationToken.None)).DateWakeUps[flow]);
    }

    private static Nudge.Core.Profiles.Profile WithBirthday(FlowEngine engine, string birthday) =>
        engine.Ada with { Traits = engine.Ada.Traits.SetItem("birthday", JsonSerializer.SerializeToElement(birthday)) };
}
