using Nudge.Core.Flows;
using Nudge.Storage.Outbox;

namespace Nudge.Storage.Flows;

/// <summary>
/// Everything one move of one run changes, written in one transaction: the run, its new history lines, the
/// messages it queued and its wake-up. A crash before the commit loses the move as a whole (it is made again on
/// replay); after it, replay finds the run moved and the outbox keys taken.
/// </summary>
/// <param name="Run">The run after the move.</param>
/// <param name="History">The history lines the move added.</param>
/// <param name="Messages">Outbox rows, keyed (run, step).</param>
public sealed record RunWrite(FlowRun Run, IReadOnlyList<StepRecord> History, IReadOnlyList<OutboxMessage> Messages);
