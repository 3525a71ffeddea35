using Nudge.Core.Flows;
using Nudge.Core.Profiles;
using Nudge.Storage;
using Nudge.Storage.Events;
using Nudge.Storage.Flows;

namespace Nudge.Engine.Flows;

/// <summary>
/// Writes planned moves: first the profile and list events to the log (de-duplicated by their (run, step) message
/// ids), then, in one transaction, the runs with their history, outbox rows and wake-ups. A crash before the
/// transaction loses the move as a whole and the replay makes it again with the same keys; after it, the replay
/// finds the run moved. So a step's message is written once and no step is lost (DESIGN.md, "Outbox").
/// </summary>
public sealed class FlowRecorder(DerivedStateWriter writer, EventLog log, TimeProvider time, IFlowCrashes crashes)
{
    /// <summary>Writes <paramref name="moves"/> of <paramref name="profile"/>'s runs.</summary>
    public async Task RecordAsync(Profile profile, IReadOnlyList<RunAdvance> moves, CancellationToken ct)
    {
        if (moves.Count == 0)
            return;
        var now = time.GetUtcNow();
        var firstRun = moves[0].Run.Id;

        crashes.At(FlowCrashPoint.BeforeProfileEvents, firstRun);
        var events = moves.SelectMany(m => FlowEffects.Events(profile, m, now)).ToList();
        if (events.Count > 0)
            await log.AppendAsync(events, ct);

        crashes.At(FlowCrashPoint.BeforeRunSave, firstRun);
        await writer.SaveRunsAsync(moves.Select(m => new RunWrite(m.Run, m.History, FlowEffects.Messages(profile, m, now))).ToList(), ct);
        crashes.At(FlowCrashPoint.AfterRunSave, firstRun);
    }
}
