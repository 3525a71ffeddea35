using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nudge.Storage.Flows;
using Nudge.Storage.Segments;
using Nudge.Storage.Timers;

namespace Nudge.Engine.Profiles;

/// <summary>
/// Wakes profiles when a moment they asked for comes: time alone changes one of their segments ("viewed in the last
/// 30 days" ends 30 days after the view), or a flow run's wait is over. Claims due rows of the timer table in
/// batches, hands each to its profile's grain, and removes them once the grains have taken them (a crash in
/// between delivers them again; grains ignore a wake-up they no longer wait for, so it fires once). Sleeps until
/// the earliest pending moment, at most <see cref="LongestSleep"/>, so a moment set meanwhile by a grain is late by
/// no more than that.
/// </summary>
public sealed partial class ProfileWakeUps(TimerStore timers, IGrainFactory grains, TimeProvider time, ILogger<ProfileWakeUps> logger) : BackgroundService
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
                await Task.WhenAll(due.Select(WakeAsync));
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

    private Task WakeAsync(DueTimer timer)
    {
        var grain = grains.GetGrain<IProfileGrain>(timer.ProfileId);
        return timer.Kind switch
        {
            FlowRunStore.TimerKind => grain.WakeRunAsync(timer.Key, timer.Due),
            FlowRunStore.DateTimerKind => grain.WakeDateFlowAsync(timer.Key, timer.Due),
            SegmentStateStore.WakeUpKind => grain.ReevaluateSegmentsAsync(),
            _ => Task.CompletedTask,
        };
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Waking profiles failed; retrying")]
        public static partial void WakeUpsFailed(ILogger logger, Exception exception);
    }
}
