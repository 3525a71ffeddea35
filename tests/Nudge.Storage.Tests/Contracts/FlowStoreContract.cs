using Nudge.Storage.Flows;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class FlowStoreContract(IDatabaseSource databases) : StoreContract(databases)
{
    private FlowStore Store => new(Database, Time);

    [Fact]
    public async Task A_new_flow_is_a_draft_at_version_one()
    {
        var flow = await Store.CreateAsync(Some.Workspace, "Welcome", """{"name":"Welcome"}""", Ct);

        Assert.Equal((FlowRecord.Draft, 1, (int?)null), (flow.Status, flow.Version, flow.LiveVersion));
        Assert.Equal(flow, await Store.GetAsync(Some.Workspace, flow.Id, Ct));
    }

    [Fact]
    public async Task Activating_puts_the_latest_version_live()
    {
        var flow = await Store.CreateAsync(Some.Workspace, "Welcome", "{}", Ct);

        var live = await Store.SetStatusAsync(Some.Workspace, flow.Id, FlowRecord.Live, Ct);

        Assert.Equal((FlowRecord.Live, (int?)1), (live!.Status, live.LiveVersion));
    }

    [Fact]
    public async Task Editing_a_live_flow_adds_a_version_that_new_runs_start_on()
    {
        var flow = await Store.CreateAsync(Some.Workspace, "Welcome", """{"v":1}""", Ct);
        await Store.SetStatusAsync(Some.Workspace, flow.Id, FlowRecord.Live, Ct);

        var edited = await Store.SaveVersionAsync(Some.Workspace, flow.Id, "Welcome 2", """{"v":2}""", moveRuns: true, Ct);

        Assert.Equal((2, (int?)2, "Welcome 2", """{"v":2}"""), (edited!.Version, edited.LiveVersion, edited.Name, edited.Definition));
        var versions = await Store.VersionsAsync(flow.Id, Ct);
        Assert.Equal([(1, false, """{"v":1}"""), (2, true, """{"v":2}""")], versions.Select(v => (v.Version, v.MoveRuns, v.Definition)));
    }

    [Fact]
    public async Task Editing_a_draft_keeps_it_off()
    {
        var flow = await Store.CreateAsync(Some.Workspace, "Welcome", "{}", Ct);

        var edited = await Store.SaveVersionAsync(Some.Workspace, flow.Id, "Welcome", "{}", moveRuns: false, Ct);

        Assert.Equal((2, (int?)null), (edited!.Version, edited.LiveVersion));
    }

    [Fact]
    public async Task An_archived_flow_is_not_edited()
    {
        var flow = await Store.CreateAsync(Some.Workspace, "Welcome", "{}", Ct);
        await Store.SetStatusAsync(Some.Workspace, flow.Id, FlowRecord.Archived, Ct);

        Assert.Null(await Store.SaveVersionAsync(Some.Workspace, flow.Id, "Welcome", "{}", moveRuns: false, Ct));
    }

    [Fact]
    public async Task Another_workspace_does_not_see_the_flow()
    {
        var flow = await Store.CreateAsync(Some.Workspace, "Welcome", "{}", Ct);

        Assert.Null(await Store.GetAsync("ws_other", flow.Id, Ct));
        Assert.Empty(await Store.ListAsync("ws_other", Ct));
    }
}

public sealed class SqliteFlowStoreContract() : FlowStoreContract(new SqliteDatabases());

public sealed class PostgresFlowStoreContract(PostgresDatabases postgres) : FlowStoreContract(postgres);
