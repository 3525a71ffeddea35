using Nudge.Storage.Imports;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class ImportStoreContract(IDatabaseSource databases) : StoreContract(databases)
{
    private ImportStore Store => new(Database, Time);

    [Fact]
    public async Task A_new_import_starts_at_the_beginning_of_its_file()
    {
        var (import, created) = await StartAsync("fp-1");

        Assert.True(created);
        Assert.Equal((ImportStatus.Running, 0L, 1L, 0.0), (import.Status, import.Checkpoint.NextOffset, import.Checkpoint.NextLine, import.Progress));
        var stored = await Store.GetAsync(Some.Workspace, import.Id, Ct);
        Assert.Equal(import with { Checkpoint = ImportCheckpoint.Start }, stored! with { Checkpoint = ImportCheckpoint.Start });
        Assert.Empty(stored.Checkpoint.Errors);
    }

    [Fact]
    public async Task The_same_fingerprint_finds_the_earlier_import_instead_of_starting_another()
    {
        var (first, _) = await StartAsync("fp-same");

        var (again, created) = await StartAsync("fp-same");
        var (elsewhere, createdElsewhere) = await StartAsync("fp-same", Some.OtherWorkspace);

        Assert.Equal((first.Id, false), (again.Id, created));
        Assert.True(createdElsewhere);
        Assert.NotEqual(first.Id, elsewhere.Id);
    }

    [Fact]
    public async Task A_checkpoint_reads_back_with_its_counts_and_bad_rows()
    {
        var (import, _) = await StartAsync("fp-cp");
        var checkpoint = new ImportCheckpoint(500, 42, 5_000_000_000, 39, 1, 2, [new ImportRowError(7, "email", "'x' is not a valid email address")]);

        await Store.SaveCheckpointAsync(import.Id, checkpoint, Ct);
        await Store.SetHeaderAsync(import.Id, "{\"columns\":[\"email\"]}", Ct);
        var stored = await Store.GetAsync(Some.Workspace, import.Id, Ct);

        Assert.Equal((500L, 42L, 5_000_000_000L, 39L, 1L, 2L), (stored!.Checkpoint.NextOffset, stored.Checkpoint.NextLine, stored.Checkpoint.LastSequence,
            stored.Checkpoint.Imported, stored.Checkpoint.Skipped, stored.Checkpoint.Failed));
        Assert.Equal(checkpoint.Errors, stored.Checkpoint.Errors);
        Assert.Equal(0.5, stored.Progress);
        Assert.Equal("{\"columns\":[\"email\"]}", stored.Header);
    }

    [Fact]
    public async Task Finished_imports_are_not_unfinished_and_forget_their_upload()
    {
        var (done, _) = await StartAsync("fp-done", path: "/tmp/upload-1");
        var (open, _) = await StartAsync("fp-open", path: "/tmp/upload-2");
        Time.Advance(TimeSpan.FromMinutes(1));

        await Store.FinishAsync(done.Id, ImportStatus.Completed, null, Ct);
        var finished = await Store.GetAsync(Some.Workspace, done.Id, Ct);

        Assert.Equal([open.Id], (await Store.UnfinishedAsync(Ct)).Select(i => i.Id));
        Assert.Equal((ImportStatus.Completed, null, 1.0, Some.Start.AddMinutes(1)), (finished!.Status, finished.FilePath, finished.Progress, finished.FinishedAt));
    }

    [Fact]
    public async Task A_failed_import_can_be_forgotten_and_started_afresh()
    {
        var (failed, _) = await StartAsync("fp-failed");
        await Store.FinishAsync(failed.Id, ImportStatus.Failed, "file: cannot be read", Ct);

        await Store.DeleteAsync(failed.Id, Ct);
        var (fresh, created) = await StartAsync("fp-failed");

        Assert.True(created);
        Assert.NotEqual(failed.Id, fresh.Id);
    }

    [Fact]
    public async Task The_log_after_a_checkpoint_shows_which_imported_messages_it_already_holds()
    {
        var log = await StartLogAsync();
        var before = await log.AppendAsync([Some.Track(userId: "ada", messageId: "nudge-import-order-1")], Ct);
        await log.AppendAsync([
            Some.Track(userId: "ada", messageId: "nudge-import-order-2"),
            Some.Track(userId: "ada", messageId: "live-1"),
            Some.Track(userId: "bob", messageId: "nudge-import-order-3", workspace: Some.OtherWorkspace),
        ], Ct);

        var found = await Store.MessageIdsAfterAsync(Some.Workspace, before[0].Sequence, "nudge-import-", Ct);

        Assert.Equal(["nudge-import-order-2"], found);
    }

    [Fact]
    public async Task Imports_are_listed_newest_first()
    {
        var (older, _) = await StartAsync("fp-old");
        Time.Advance(TimeSpan.FromSeconds(1));
        var (newer, _) = await StartAsync("fp-new");

        Assert.Equal([newer.Id, older.Id], (await Store.ListAsync(Some.Workspace, 10, Ct)).Select(i => i.Id));
    }

    private Task<(ImportRecord Import, bool Created)> StartAsync(string fingerprint, string workspace = Some.Workspace, string? path = null) =>
        Store.StartAsync(workspace, "orders", "csv", "orders.csv", fingerprint, "{\"email\":\"E-Mail\"}", path, 1000, Ct);
}

public sealed class SqliteImportStoreContract() : ImportStoreContract(new SqliteDatabases());

public sealed class PostgresImportStoreContract(PostgresDatabases postgres) : ImportStoreContract(postgres);
