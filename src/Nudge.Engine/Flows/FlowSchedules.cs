using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nudge.Core.Flows;
using Nudge.Engine.Profiles;
using Nudge.Storage.Flows;
using Nudge.Storage.Segments;

namespace Nudge.Engine.Flows;

/// <summary>
/// Fires scheduled flows: at each occurrence of a live flow's cron (in its time zone), starts a run for every member
/// of its segment. The occurrence is the runs' start key, so a restart in the middle of a firing starts only the
/// runs that were missing; the occurrence is recorded once all members are handed over. An occurrence missed by
/// more than <see cref="MaxLateness"/> (the server was down) is skipped, not fired late; the first occurrence
/// counted is the first after the flow is seen live.
/// </summary>
public sealed partial class FlowSchedules(
    FlowCatalog catalog, FlowStore flows, SegmentMembers members, IGrainFactory grains, TimeProvider time, ILogger<FlowSchedules> logger) : BackgroundService
{
    /// <summary>How late an occurrence may still fire.</summary>
    public static readonly TimeSpan MaxLateness = TimeSpan.FromHours(1);

    private static readonly TimeSpan LongestSleep = TimeSpan.FromSeconds(1);
    private const int Page = 1000;
    private const int Concurrency = 64;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FireDueAsync(stoppingToken);
                await Task.Delay(LongestSleep, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.SchedulesFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
            }
        }
    }

    /// <summary>Fires every occurrence that is due now.</summary>
    public async Task FireDueAsync(CancellationToken ct)
    {
        foreach (var (workspaceId, flow) in catalog.AllLive().ToList())
        {
            if (flow.Definition.Trigger is not ScheduleTrigger schedule)
                continue;
            var now = time.GetUtcNow();
            if (await flows.LastScheduledAsync(flow.Id, ct) is not { } last)
            {
                await flows.MarkScheduledAsync(flow.Id, now, ct);
                continue;
            }
            if (schedule.Next(last) is not { } occurrence || occurrence > now)
                continue;
            // Several missed occurrences: only the latest one can still be on time.
            while (schedule.Next(occurrence) is { } later && later <= now)
                occurrence = later;
            if (now - occurrence > MaxLateness)
                Log.Skipped(logger, flow.Id, occurrence);
            else
                await FireAsync(workspaceId, flow.Id, schedule.SegmentId, occurrence, ct);
            await flows.MarkScheduledAsync(flow.Id, occurrence, ct);
        }
    }

    private async Task FireAsync(string workspaceId, string flowId, string segmentId, DateTimeOffset occurrence, CancellationToken ct)
    {
        var key = "schedule:" + occurrence.ToString("O", CultureInfo.InvariantCulture);
        var data = JsonSerializer.Serialize(new { scheduled_at = occurrence, segment_id = segmentId });
        var started = 0;
        string? after = null;
        while (await members.PageAsync(segmentId, after, Page, ct) is { Count: > 0 } page)
        {
            foreach (var chunk in page.Where(m => m.IsMember).Chunk(Concurrency))
            {
                var results = await Task.WhenAll(chunk.Select(m => grains.GetGrain<IProfileGrain>(m.ProfileId).StartFlowAsync(flowId, key, data)));
                started += results.Count(r => r.RunId is not null);
            }
            after = page[^1].ProfileId;
        }
        Log.Fired(logger, flowId, occurrence, started, workspaceId);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled flow {FlowId} fired for {Occurrence}: {Started} runs started (workspace {Workspace})")]
        public static partial void Fired(ILogger logger, string flowId, DateTimeOffset occurrence, int started, string workspace);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled flow {FlowId} skipped its occurrence {Occurrence}: more than an hour late")]
        public static partial void Skipped(ILogger logger, string flowId, DateTimeOffset occurrence);

        [LoggerMessage(Level = LogLevel.Error, Message = "Firing scheduled flows failed; retrying")]
        public static partial void SchedulesFailed(ILogger logger, Exception exception);
    }
}
