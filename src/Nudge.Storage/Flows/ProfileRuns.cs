using Nudge.Core.Flows;

namespace Nudge.Storage.Flows;

/// <summary>
/// What a profile's grain needs about its runs: the active ones, when each flow last started for it (re-entry
/// rules), every run id it had, and the wake-ups of its date-triggered flows (flow id to moment).
/// </summary>
public sealed record ProfileRuns(
    IReadOnlyList<FlowRun> Active, IReadOnlyDictionary<string, DateTimeOffset> LastStarts, IReadOnlySet<string> KnownRunIds,
    IReadOnlyDictionary<string, DateTimeOffset> DateWakeUps);
