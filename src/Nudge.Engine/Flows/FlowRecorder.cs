using Nudge.Core.Flows;
using Nudge.Core.Profiles;
using Nudge.Engine.Coupons;
using Nudge.Storage;
using Nudge.Storage.Events;
using Nudge.Storage.Flows;

namespace Nudge.Engine.Flows;

/// <summary>
/// Writes planned moves: first the profile and list events to the log (de-duplicated by their (run, step) message
/// ids), then, in one transaction, the runs with their history, outbox rows and wake-ups. A crash before the
/// transaction loses the move as a whole and the replay makes it again with the same keys; after it, the replay
/// finds the run moved. So a step's message is written once and no step is lost (DESIGN.md, "Outbox").
/// Coupon steps assign their code first, keyed <c>{run}:{step}</c>: a replay gets the same code back (ADR 0018).
/// </summary>
public sealed class FlowRecorder(DerivedStateWriter writer, EventLog log, TimeProvider time, IFlowCrashes crashes, CouponAssigner coupons)
{
    /// <summary>Writes <paramref name="moves"/> of <paramref name="profile"/>'s runs.</summary>
    public async Task RecordAsync(Profile profile, IReadOnlyList<RunAdvance> moves, CancellationToken ct)
    {
        if (moves.Count == 0)
            return;
        var now = time.GetUtcNow();
        var firstRun = moves[0].Run.Id;

        moves = await AssignCouponsAsync(profile, moves, ct);

        crashes.At(FlowCrashPoint.BeforeProfileEvents, firstRun);
        var events = moves.SelectMany(m => FlowEffects.Events(profile, m, now)).ToList();
        if (events.Count > 0)
            await log.AppendAsync(events, ct);

        crashes.At(FlowCrashPoint.BeforeRunSave, firstRun);
        await writer.SaveRunsAsync(moves.Select(m => new RunWrite(m.Run, m.History, FlowEffects.Messages(profile, m, now))).ToList(), ct);
        crashes.At(FlowCrashPoint.AfterRunSave, firstRun);
    }

    /// <summary>Assigns the moves' coupons and writes the outcome (the code, or why there is none) into their history lines.</summary>
    private async Task<IReadOnlyList<RunAdvance>> AssignCouponsAsync(Profile profile, IReadOnlyList<RunAdvance> moves, CancellationToken ct)
    {
        if (!moves.Any(m => m.Effects.Any(e => e is AssignCoupon)))
            return moves;
        var result = new List<RunAdvance>(moves.Count);
        foreach (var move in moves)
        {
            var history = move.History;
            foreach (var assign in move.Effects.OfType<AssignCoupon>())
            {
                var outcome = await coupons.AssignAsync(move.Run.WorkspaceId, assign.PoolId, profile.Id, $"{move.Run.Id}:{assign.StepId}", move.Run.Id, ct);
                var line = history.FirstOrDefault(h => h.StepId == assign.StepId && h.Kind == "assignCoupon");
                if (line is not null)
                {
                    history = history.Replace(line, line with
                    {
                        Outcome = outcome.Coupon is { } coupon ? $"coupon {coupon.Code} from {assign.PoolId}" : "no coupon: " + outcome.Refusal,
                    });
                }
            }
            result.Add(move with { History = history });
        }
        return result;
    }
}
