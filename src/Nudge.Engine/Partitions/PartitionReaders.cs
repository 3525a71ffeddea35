using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nudge.Engine.Profiles;
using Nudge.Storage.Events;

namespace Nudge.Engine.Partitions;

/// <summary>
/// Tails the event log, one loop per partition: reads new events in sequence order and hands them to their
/// profile grains (batched per grain), which apply them in memory. About once a second (and whenever the
/// partition goes idle) it checkpoints: every grain it fed saves its profile, then the partition's durable
/// cursor moves. A profile is thus saved once per checkpoint, not once per event. A crash replays from the
/// cursor; grains reload their last saved state and skip what it already holds.
/// </summary>
public sealed partial class PartitionReaders(
    EventReader reader,
    CursorStore cursors,
    LogSignal signal,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<PartitionReaders> logger) : BackgroundService
{
    private const int BatchSize = 2000;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After a partial batch, readers let events gather for a moment: under load a grain then gets several
    /// events per call and saves its profile once for all of them, at the cost of this much latency.
    /// </summary>
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(10);

    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Partitioning.Count).Select(p => Task.Run(() => ReadAsync(p, stoppingToken), stoppingToken)));

    private async Task ReadAsync(int partition, CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var cursor = await cursors.GetAsync(partition, ct);
                var delivered = cursor;
                var fed = new HashSet<string>();
                var lastCheckpoint = time.GetUtcNow();
                // A checkpoint (grains save, then the cursor moves) runs beside the reading: waiting for it held up
                // every event of the partition that came meanwhile, the tail of the engine's latency.
                Task? checkpoint = null;
                while (!ct.IsCancellationRequested)
                {
                    var events = await reader.ReadPartitionAsync(partition, delivered, BatchSize, ct);
                    if (events.Count > 0)
                    {
                        await Task.WhenAll(events
                            .GroupBy(e => e.ProfileId)
                            .Select(g => grains.GetGrain<IProfileGrain>(g.Key).ApplyAsync(new(g.ToList()))));
                        fed.UnionWith(events.Select(e => e.ProfileId));
                        delivered = events[^1].Sequence;
                    }

                    if (checkpoint is { IsCompleted: true })
                    {
                        // A failed checkpoint throws here: the reader starts over from the cursor last stored.
                        await checkpoint;
                        checkpoint = null;
                    }
                    if (checkpoint is null && delivered != cursor && (events.Count == 0 || time.GetUtcNow() - lastCheckpoint >= CheckpointEvery))
                    {
                        checkpoint = CheckpointAsync(partition, fed, delivered, ct);
                        cursor = delivered;
                        fed = [];
                        lastCheckpoint = time.GetUtcNow();
                    }

                    failures = 0;
                    if (events.Count == 0)
                        await signal.WaitAsync(IdlePoll, time, ct);
                    else if (events.Count < BatchSize)
                        await Task.Delay(Gather, time, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                Log.PartitionFailed(logger, ex, partition, failures);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30_000, 100 * Math.Pow(2, failures))), time, ct);
            }
        }
    }

    /// <summary>Saves the grains fed since the last checkpoint, then stores the cursor: events up to it need no replay.</summary>
    private async Task CheckpointAsync(int partition, HashSet<string> fed, long through, CancellationToken ct)
    {
        await Task.WhenAll(fed.Select(id => grains.GetGrain<IProfileGrain>(id).FlushAsync()));
        await cursors.SetAsync(partition, through, ct);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Partition {Partition} failed to deliver events (attempt {Attempt}); retrying from its cursor")]
        public static partial void PartitionFailed(ILogger logger, Exception exception, int partition, int attempt);
    }
}
