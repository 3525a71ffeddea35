using System.Collections.Concurrent;
using System.Threading.Channels;
using Nudge.Storage.Imports;

namespace Nudge.Server.Imports;

/// <summary>
/// Runs the server's imports in the background, one at a time (they share the log's single writer anyway), and on
/// start continues the ones a stop interrupted, from their checkpoints. Imports the CLI ran in place (no uploaded
/// file kept here) are left for the CLI to continue.
/// </summary>
internal sealed partial class ImportRunner(HistoryImport import, ImportStore store, ILogger<ImportRunner> logger) : BackgroundService
{
    private readonly Channel<ImportRecord> _queue = Channel.CreateUnbounded<ImportRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, byte> _queued = new(StringComparer.Ordinal);

    /// <summary>Queues an import with an uploaded file; false when it is queued or running already.</summary>
    public bool Enqueue(ImportRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.FilePath is null || !_queued.TryAdd(record.Id, 0))
            return false;
        _queue.Writer.TryWrite(record);
        return true;
    }

    /// <summary>True when the import is queued or running in this process.</summary>
    public bool IsActive(string id) => _queued.ContainsKey(id);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var unfinished in await store.UnfinishedAsync(stoppingToken))
        {
            if (unfinished.FilePath is { } path && File.Exists(path))
            {
                Log.Resuming(logger, unfinished.Id, unfinished.Checkpoint.NextLine);
                Enqueue(unfinished);
            }
        }

        await foreach (var record in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var done = await import.RunAsync(record, record.FilePath!, null, stoppingToken);
                if (done.Status != ImportStatus.Running)
                    TryDelete(record.FilePath!);
                Log.Finished(logger, record.Id, done.Status, done.Checkpoint.Imported, done.Checkpoint.Skipped, done.Checkpoint.Failed);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.Failed(logger, ex, record.Id);
            }
            finally
            {
                _queued.TryRemove(record.Id, out _);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Continuing import {Id} from line {Line}")]
        public static partial void Resuming(ILogger logger, string id, long line);

        [LoggerMessage(Level = LogLevel.Information, Message = "Import {Id} {Status}: {Imported} imported, {Skipped} already there, {Failed} bad rows")]
        public static partial void Finished(ILogger logger, string id, string status, long imported, long skipped, long failed);

        [LoggerMessage(Level = LogLevel.Error, Message = "Import {Id} stopped with an error; it continues from its checkpoint on the next start")]
        public static partial void Failed(ILogger logger, Exception exception, string id);
    }
}
