using Nudge.Server.Lists;
using Nudge.Storage.Events;
using Nudge.Storage.Imports;
using Nudge.Storage.Keys;

namespace Nudge.Server.Imports;

/// <summary>
/// Imports one file into the event log (ADR 0017): streams its rows, turns them into records, appends them in large
/// batches (the next batch is read while the log writes the last one), and after each commit moves the import's
/// checkpoint on. Stopped at any point, it continues from the checkpoint; what the log committed after the last
/// checkpoint is recognised by its message ids and skipped.
/// </summary>
internal sealed class HistoryImport(EventLog log, ImportStore store, KeyStore keys, TimeProvider time)
{
    /// <summary>Events per append: the log writes up to this many in one transaction.</summary>
    public const int BatchEvents = 10_000;

    /// <summary>
    /// Runs (or continues) <paramref name="import"/> over the file at <paramref name="path"/>; returns it as it stands
    /// when the file is done, when <paramref name="ct"/> stops it (still running: it can be continued), or failed.
    /// </summary>
    public async Task<ImportRecord> RunAsync(ImportRecord import, string path, Action<ImportRecord>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(import);
        var kind = ImportKind.Find(import.Kind) ?? throw new InvalidOperationException($"Unknown import kind '{import.Kind}'.");
        var start = import.Checkpoint;
        var errors = new RowErrors(start.Failed, start.Errors.Select(e => new ImportError(e.Line, e.Field, e.Message)));
        var region = (await keys.FindWorkspaceAsync(import.WorkspaceId, ct))?.DefaultRegion;
        var alreadyLogged = start.NextOffset > 0
            ? await store.MessageIdsAfterAsync(import.WorkspaceId, start.LastSequence, ImportEvents.MessagePrefix, ct)
            : new HashSet<string>();

        try
        {
            await using var source = RowSource.Open(import.Format, path, start.NextOffset, start.NextLine, import.Header, errors);
            if (await source.StartAsync(ct) is { } header)
            {
                await store.SetHeaderAsync(import.Id, header, ct);
                import = import with { Header = header };
            }
            if (source.Bind(kind, ImportMapping.FromJson(import.Mapping)) is [var missing, ..])
                throw new ImportFileException("mapping", $"names the column '{missing}', which the file does not have");

            var builder = RecordBuilder.For(kind, source, errors, new ImportEvents(import.WorkspaceId, import.Id, region, time), region, time);
            var committed = start;
            var batch = new Batch();
            Task<ImportCheckpoint>? writing = null;
            while (!ct.IsCancellationRequested && await source.ReadAsync(ct))
            {
                if (builder.StartsRecord())
                {
                    if (builder.Complete() is { } record)
                        batch.Add(record, alreadyLogged);
                    // Everything before this row is read: a checkpoint may stand here.
                    if (batch.Events.Count >= BatchEvents)
                    {
                        var cut = batch.Cut(source.Offset, source.Line, errors);
                        committed = writing is null ? committed : await writing;
                        writing = CommitAsync(import, cut, committed, progress);
                        batch = new Batch();
                    }
                }
                builder.Add();
            }

            if (ct.IsCancellationRequested)
            {
                if (writing is not null)
                    await writing;
                return await store.GetAsync(import.WorkspaceId, import.Id, CancellationToken.None) ?? import;
            }

            if (builder.Complete() is { } last)
                batch.Add(last, alreadyLogged);
            committed = writing is null ? committed : await writing;
            await CommitAsync(import, batch.Cut(import.TotalBytes, source.Line + 1, errors), committed, progress);
            await store.FinishAsync(import.Id, ImportStatus.Completed, null, CancellationToken.None);
        }
        catch (ImportFileException ex)
        {
            await store.FinishAsync(import.Id, ImportStatus.Failed, $"{ex.Field}: {ex.Message}", CancellationToken.None);
        }
        catch (IOException ex)
        {
            await store.FinishAsync(import.Id, ImportStatus.Failed, $"file: cannot be read ({ex.Message})", CancellationToken.None);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped while reading: the last checkpoint stands, and the import continues from it next time.
        }
        var done = await store.GetAsync(import.WorkspaceId, import.Id, CancellationToken.None) ?? import;
        progress?.Invoke(done);
        return done;
    }

    /// <summary>Appends a batch and moves the checkpoint past it. Not cancellable: a batch in the log gets its checkpoint.</summary>
    private async Task<ImportCheckpoint> CommitAsync(ImportRecord import, Cut cut, ImportCheckpoint before, Action<ImportRecord>? progress)
    {
        var imported = 0L;
        var skipped = (long)cut.AlreadyLogged;
        var last = before.LastSequence;
        if (cut.Events.Count > 0)
        {
            foreach (var outcome in await log.AppendAsync(cut.Events, CancellationToken.None))
            {
                if (outcome.Duplicate)
                {
                    skipped++;
                    continue;
                }
                imported++;
                last = Math.Max(last, outcome.Sequence);
            }
        }
        var checkpoint = new ImportCheckpoint(
            cut.NextOffset, cut.NextLine, last, before.Imported + imported, before.Skipped + skipped, cut.Failed,
            cut.Errors.Select(e => new ImportRowError(e.Line, e.Field, e.Message)).ToList());
        await store.SaveCheckpointAsync(import.Id, checkpoint, CancellationToken.None);
        progress?.Invoke(import with { Checkpoint = checkpoint, UpdatedAt = time.GetUtcNow() });
        return checkpoint;
    }

    /// <summary>Records read since the last cut.</summary>
    private sealed class Batch
    {
        public List<EventToAppend> Events { get; } = new(BatchEvents);

        public int AlreadyLogged { get; private set; }

        public void Add(ImportedRecord record, IReadOnlySet<string> alreadyLogged)
        {
            if (alreadyLogged.Contains(record.Event.Message.MessageId))
                AlreadyLogged++;
            else
                Events.Add(record.Event);
        }

        /// <summary>The batch with the place the checkpoint after it stands and the bad rows found up to there.</summary>
        public Cut Cut(long nextOffset, long nextLine, RowErrors errors) =>
            new(Events, AlreadyLogged, nextOffset, nextLine, errors.Count, errors.Shown.ToList());
    }

    private sealed record Cut(List<EventToAppend> Events, int AlreadyLogged, long NextOffset, long NextLine, long Failed, List<ImportError> Errors);
}
