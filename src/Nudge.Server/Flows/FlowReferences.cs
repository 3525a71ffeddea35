using Nudge.Core.Flows;
using Nudge.Core.Ingestion;
using Nudge.Engine.Segments;
using Nudge.Storage.Coupons;
using Nudge.Storage.Flows;
using Nudge.Storage.Lists;

namespace Nudge.Server.Flows;

/// <summary>Checks that what a flow names exists in the workspace: the segment or list of its trigger, lists of its steps, flows it moves to, coupon pools.</summary>
public sealed class FlowReferences(SegmentCatalog segments, ListStore lists, FlowStore flows, CouponStore coupons)
{
    public async Task<IReadOnlyList<FieldError>> CheckAsync(string workspaceId, FlowDefinition flow, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (flow.Trigger is EventTrigger { TrustedOnly: true, Match.Where: [{ } filter] } trigger && filter.Test.Values is [var id])
        {
            var referenced = id.GetString()!;
            var isSegment = trigger.Match.Event.StartsWith("Segment", StringComparison.Ordinal);
            var exists = isSegment
                ? segments.For(workspaceId).ById.ContainsKey(referenced)
                : await lists.GetAsync(workspaceId, referenced, ct) is not null;
            if (!exists)
                errors.Add(new FieldError(isSegment ? "trigger.segment" : "trigger.list", $"no {(isSegment ? "segment" : "list")} '{referenced}' in this workspace"));
        }
        if (flow.Trigger is ScheduleTrigger schedule && !segments.For(workspaceId).ById.ContainsKey(schedule.SegmentId))
            errors.Add(new FieldError("trigger.schedule.segment", $"no segment '{schedule.SegmentId}' in this workspace"));
        foreach (var step in flow.Steps.Values)
        {
            switch (step)
            {
                case ListStep list when await lists.GetAsync(workspaceId, list.ListId, ct) is null:
                    errors.Add(new FieldError($"steps.{step.Id}.list", $"no list '{list.ListId}' in this workspace"));
                    break;
                case AssignCouponStep coupon when await coupons.GetPoolAsync(workspaceId, coupon.PoolId, ct) is null:
                    errors.Add(new FieldError($"steps.{step.Id}.pool", $"no coupon pool '{coupon.PoolId}' in this workspace"));
                    break;
                case MoveToFlowStep move when await flows.GetAsync(workspaceId, move.FlowId, ct) is null:
                    errors.Add(new FieldError($"steps.{step.Id}.flow", $"no flow '{move.FlowId}' in this workspace"));
                    break;
            }
        }
        return errors;
    }
}
