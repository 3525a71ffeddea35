using Nudge.Storage.Templates;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class TemplateStoreContract(IDatabaseSource databases) : StoreContract(databases)
{
    private const string Welcome = """{"subject":"Hi","html":"<p>Hi {{ profile.first_name }}</p>"}""";

    private TemplateStore Store => new(Database, Time);

    [Fact]
    public async Task A_new_template_is_version_1_and_its_version_can_be_read_back()
    {
        var created = await Store.CreateAsync(Some.Workspace, "Welcome", "email", Welcome, Ct);

        Assert.NotNull(created);
        Assert.StartsWith("tpl_", created.Id, StringComparison.Ordinal);
        Assert.Equal((1L, "email", Welcome, Some.Start), (created.Version, created.Kind, created.Parts, created.CreatedAt));
        var version = await Store.GetVersionAsync(Some.Workspace, created.Id, 1, Ct);
        Assert.Equal(new TemplateVersionRecord(created.Id, 1, "Welcome", "email", Welcome, Some.Start), version);
    }

    [Fact]
    public async Task Every_save_adds_a_version_and_keeps_the_earlier_ones()
    {
        var created = (await Store.CreateAsync(Some.Workspace, "Welcome", "email", Welcome, Ct))!;
        Time.Advance(TimeSpan.FromMinutes(5));

        var (outcome, updated) = await Store.UpdateAsync(Some.Workspace, created.Id, "Welcome v2", """{"subject":"Hello","html":"<p>x</p>"}""", Ct);

        Assert.Equal(SaveOutcome.Saved, outcome);
        Assert.Equal((2L, "Welcome v2", Some.Start.AddMinutes(5)), (updated!.Version, updated.Name, updated.UpdatedAt));
        Assert.Equal(Welcome, (await Store.GetVersionAsync(Some.Workspace, created.Id, 1, Ct))!.Parts);
        Assert.Equal([2L, 1L], (await Store.VersionsAsync(Some.Workspace, created.Id, Ct)).Select(v => v.Version));
    }

    [Fact]
    public async Task Names_are_unique_in_a_workspace_but_not_across_workspaces()
    {
        await Store.CreateAsync(Some.Workspace, "footer", "partial", """{"body":"x"}""", Ct);
        var other = (await Store.CreateAsync(Some.Workspace, "header", "partial", """{"body":"y"}""", Ct))!;

        Assert.Null(await Store.CreateAsync(Some.Workspace, "footer", "partial", """{"body":"z"}""", Ct));
        Assert.NotNull(await Store.CreateAsync("ws_other", "footer", "partial", """{"body":"z"}""", Ct));
        Assert.Equal(SaveOutcome.NameTaken, (await Store.UpdateAsync(Some.Workspace, other.Id, "footer", """{"body":"y"}""", Ct)).Outcome);
    }

    [Fact]
    public async Task A_deleted_template_is_gone_but_its_versions_remain_for_past_sends()
    {
        var created = (await Store.CreateAsync(Some.Workspace, "Welcome", "email", Welcome, Ct))!;

        Assert.True(await Store.DeleteAsync(Some.Workspace, created.Id, Ct));

        Assert.Null(await Store.GetAsync(Some.Workspace, created.Id, Ct));
        Assert.NotNull(await Store.GetVersionAsync(Some.Workspace, created.Id, 1, Ct));
        Assert.NotNull(await Store.CreateAsync(Some.Workspace, "Welcome", "email", Welcome, Ct));
        Assert.Equal(SaveOutcome.NotFound, (await Store.UpdateAsync(Some.Workspace, created.Id, "Welcome", Welcome, Ct)).Outcome);
    }

    [Fact]
    public async Task Templates_are_listed_by_name_and_by_kind_within_their_workspace()
    {
        await Store.CreateAsync(Some.Workspace, "b-footer", "partial", """{"body":"x"}""", Ct);
        await Store.CreateAsync(Some.Workspace, "a-welcome", "email", Welcome, Ct);
        await Store.CreateAsync(Some.Workspace, "c-frame", "layout", """{"body":"{{ content_for_layout }}"}""", Ct);
        await Store.CreateAsync("ws_other", "d-other", "partial", """{"body":"x"}""", Ct);

        Assert.Equal(["a-welcome", "b-footer", "c-frame"], (await Store.ListAsync(Some.Workspace, Ct)).Select(t => t.Name));
        Assert.Equal(["b-footer", "c-frame"], (await Store.ListAsync(Some.Workspace, Ct, "partial", "layout")).Select(t => t.Name));
    }

    [Fact]
    public async Task A_template_of_another_workspace_cannot_be_read_or_changed()
    {
        var created = (await Store.CreateAsync(Some.Workspace, "Welcome", "email", Welcome, Ct))!;

        Assert.Null(await Store.GetAsync("ws_other", created.Id, Ct));
        Assert.Null(await Store.GetVersionAsync("ws_other", created.Id, 1, Ct));
        Assert.Equal(SaveOutcome.NotFound, (await Store.UpdateAsync("ws_other", created.Id, "x", Welcome, Ct)).Outcome);
        Assert.False(await Store.DeleteAsync("ws_other", created.Id, Ct));
    }
}

public sealed class SqliteTemplateStoreContract() : TemplateStoreContract(new SqliteDatabases());

public sealed class PostgresTemplateStoreContract(PostgresDatabases postgres) : TemplateStoreContract(postgres);
