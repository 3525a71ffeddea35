using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nudge.Engine.Profiles;
using Nudge.Storage.Timers;

namespace Nudge.Engine.Segments;

/// <summary>
/// Wakes profiles when time alone changes one of their segments ("viewed in the last 30 days" ends 30 days after
/// the view): claims due rows of the timer table in batches and has each profile's grain re-evaluate. Sleeps until
/// the earliest pending moment, at most <see cref="LongestSleep"/>, so a moment set meanwhile by a grain is late
/// by no more than that.
/// </summary>
public sealed partial class SegmentWakeUps(TimerStore timers, IGrainFactory grains, TimeProvider time, ILogger<SegmentWakeUps> logger) : BackgroundService
{
    private const int BatchSize = 500;

    /// <summary>The longest sleep between two looks at the timer table.</summary>
    public static readonly TimeSpan LongestSleep = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var due = await timers.DueAsync(time.GetUtcNow(), BatchSize, stoppingToken);
                await Task.WhenAll(due.Select(timer => grains.GetGrain<IProfileGrain>(timer.ProfileId).ReevaluateSegmentsAsync()));
                await timers.CompleteAsync(due, stoppingToken);
                if (due.Count == BatchSize)
                    continue;

                var next = await timers.NextDueAsync(stoppingToken);
                var sleep = next is { } at ? at - time.GetUtcNow() : LongestSleep;
                if (sleep > TimeSpan.Zero)
                    await Task.Delay(sleep < LongestSleep ? sleep : LongestSleep, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.WakeUpsFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Waking profiles for their segments failed; retrying")]
        public static partial void WakeUpsFailed(ILogger logger, Exception exception);
    }
}
