using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nudge.Storage.Flows;
using Nudge.Storage.Segments;
using Nudge.Storage.Timers;

namespace Nudge.Engine.Profiles;

/// <summary>
/// Wakes profiles when a moment they asked for comes: time alone changes one of their segments ("viewed in the last
/// 30 days" ends 30 days after the view), a flow run's wait is over, or a date flow's day has come. Claims due rows
/// of the timer table, hands each to its profile's grain, and removes them in batches once the grains have taken
/// them (a crash in between delivers them again; grains ignore a wake-up they no longer wait for, so it fires once).
/// </summary>
/// <remarks>
/// Wake-ups are pipelined: up to <see cref="MaxInFlight"/> are with grains at once, and the table is read again
/// while they work, so one slow grain holds up nobody else. A wake-up whose grain failed is handed over again after
/// <see cref="RetryAfter"/>. The service sleeps until the earliest pending moment, at most <see cref="LongestSleep"/>,
/// so a moment set meanwhile by a grain is late by no more than that.
/// </remarks>
public sealed partial class ProfileWakeUps(TimerStore timers, IGrainFactory grains, TimeProvider time, ILogger<ProfileWakeUps> logger) : BackgroundService
{
    private const int BatchSize = 1000;
    private const int MaxInFlight = 8000;

    /// <summary>The longest sleep between two looks at the timer table.</summary>
    public static readonly TimeSpan LongestSleep = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>How often, at the least, the table is read from its earliest due row (see <see cref="HandOverDueAsync"/>).</summary>
    private static readonly TimeSpan FullLookEvery = TimeSpan.FromSeconds(1);

    private DateTimeOffset _lastFullLook;

    private readonly ConcurrentDictionary<DueTimer, byte> _inFlight = new();
    private readonly ConcurrentQueue<DueTimer> _taken = new();
    private readonly SemaphoreSlim _progress = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CompleteTakenAsync(stoppingToken);
                var handedOver = _inFlight.Count < MaxInFlight ? await HandOverDueAsync(stoppingToken) : 0;
                if (handedOver > 0)
                    continue;

                var sleep = LongestSleep;
                if (_inFlight.IsEmpty && await timers.NextDueAsync(stoppingToken) is { } next)
                    sleep = TimeSpan.FromTicks(Math.Clamp((next - time.GetUtcNow()).Ticks, 0, LongestSleep.Ticks));
                // A grain finishing wakes the loop early: its row is removed, and room is made for more.
                if (sleep > TimeSpan.Zero)
                    await SleepAsync(sleep, stoppingToken);
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

    /// <summary>Waits for <paramref name="sleep"/>, or less when a grain finishes a wake-up.</summary>
    private async Task SleepAsync(TimeSpan sleep, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(sleep, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stoppingToken);
        try
        {
            await _progress.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Hands the due wake-ups not already with a grain to their grains; returns how many.</summary>
    /// <remarks>
    /// The rows with grains are, nearly always, the earliest due: while busy, a look skips that many rather than read
    /// thousands of rows again to find a few new ones. A row not with a grain can hide among them (a wake-up to retry,
    /// a moment set in the past), so a full look follows any look that found nothing, and one is made every
    /// <see cref="FullLookEvery"/> in any case.
    /// </remarks>
    private async Task<int> HandOverDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (now - _lastFullLook < FullLookEvery)
        {
            var handedOver = await HandOverAsync(now, skip: _inFlight.Count, ct);
            if (handedOver > 0)
                return handedOver;
        }
        _lastFullLook = now;
        return await HandOverAsync(now, skip: 0, ct);
    }

    private async Task<int> HandOverAsync(DateTimeOffset now, int skip, CancellationToken ct)
    {
        var due = await timers.DueAsync(now, skip == 0 ? _inFlight.Count + BatchSize : BatchSize, ct, skip);
        var handedOver = 0;
        foreach (var timer in due)
        {
            if (!_inFlight.TryAdd(timer, 0))
                continue;
            handedOver++;
            _ = WakeAsync(timer);
        }
        return handedOver;
    }

    private async Task WakeAsync(DueTimer timer)
    {
        try
        {
            var grain = grains.GetGrain<IProfileGrain>(timer.ProfileId);
            await (timer.Kind switch
            {
                FlowRunStore.TimerKind => grain.WakeRunAsync(timer.Key, timer.Due),
                FlowRunStore.DateTimerKind => grain.WakeDateFlowAsync(timer.Key, timer.Due),
                SegmentStateStore.WakeUpKind => grain.ReevaluateSegmentsAsync(),
                _ => Task.CompletedTask,
            });
            _taken.Enqueue(timer);
        }
        catch (Exception ex)
        {
            Log.WakeUpFailed(logger, timer.ProfileId, timer.Kind, ex);
            await Task.Delay(RetryAfter, time);
            _inFlight.TryRemove(timer, out _);
        }
        finally
        {
            _progress.Release();
        }
    }

    /// <summary>Removes the rows of wake-ups the grains have taken, in one transaction.</summary>
    private async Task CompleteTakenAsync(CancellationToken ct)
    {
        if (_taken.IsEmpty)
            return;
        var taken = new List<DueTimer>();
        while (taken.Count < BatchSize * 4 && _taken.TryDequeue(out var timer))
            taken.Add(timer);
        await timers.CompleteAsync(taken, ct);
        foreach (var timer in taken)
            _inFlight.TryRemove(timer, out _);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Waking profiles failed; retrying")]
        public static partial void WakeUpsFailed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Waking profile {ProfileId} ({Kind}) failed; trying again shortly")]
        public static partial void WakeUpFailed(ILogger logger, string profileId, string kind, Exception exception);
    }
}
