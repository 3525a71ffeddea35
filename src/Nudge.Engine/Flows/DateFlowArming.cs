using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nudge.Core.Flows;
using Nudge.Storage.Flows;
using Nudge.Storage.Segments;

namespace Nudge.Engine.Flows;

/// <summary>
/// When a date-triggered flow (birthday, first-order anniversary) goes live, or a new version of it does, sets the
/// next moment of every profile of the workspace in the timer table, straight from the stored profiles, so nobody
/// has to wait for their next event. From then on each profile's grain keeps its moment current as the profile
/// changes and sets the next one when it fires. Done once per flow version (recorded), resumable (a profile that
/// has a moment keeps it).
/// </summary>
public sealed partial class DateFlowArming(
    FlowCatalog catalog, FlowStore flows, FlowRunStore runs, SegmentBuildReads profiles, TimeProvider time, ILogger<DateFlowArming> logger) : BackgroundService
{
    private const int Page = 1000;
    private static readonly TimeSpan LookEvery = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ArmNewAsync(stoppingToken);
                await Task.Delay(LookEvery, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.ArmingFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
            }
        }
    }

    /// <summary>Arms every live date-triggered flow version not armed yet.</summary>
    public async Task ArmNewAsync(CancellationToken ct)
    {
        foreach (var (workspaceId, flow) in catalog.AllLive().ToList())
        {
            if (flow.Definition.Trigger is not DateTrigger trigger)
                continue;
            var marker = $"armed:{flow.Id}:{flow.Version}";
            if (await flows.LastScheduledAsync(marker, ct) is not null)
                continue;

            var now = time.GetUtcNow();
            var armed = 0;
            var after = "";
            while (await profiles.ProfilesAsync(workspaceId, after, Page, ct) is { Count: > 0 } page)
            {
                var moments = new List<(string, DateTimeOffset)>();
                foreach (var profile in page.Where(p => p.MergedInto is null))
                {
                    if (trigger.Next(profile, now) is { } due)
                        moments.Add((profile.Id, due));
                }
                await runs.ArmDateFlowAsync(flow.Id, moments, ct);
                armed += moments.Count;
                after = page[^1].Id;
            }
            await flows.MarkScheduledAsync(marker, now, ct);
            Log.Armed(logger, flow.Id, flow.Version, armed);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Date flow {FlowId} v{Version} armed for {Profiles} profiles")]
        public static partial void Armed(ILogger logger, string flowId, int version, int profiles);

        [LoggerMessage(Level = LogLevel.Error, Message = "Arming date flows failed; retrying")]
        public static partial void ArmingFailed(ILogger logger, Exception exception);
    }
}
