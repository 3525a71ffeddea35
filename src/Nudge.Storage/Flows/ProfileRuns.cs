using Nudge.Core.Flows;

namespace Nudge.Storage.Flows;

/// <summary>What a profile's grain needs about its runs: the active ones, and when each flow last started for it (re-entry rules).</summary>
public sealed record ProfileRuns(IReadOnlyList<FlowRun> Active, IReadOnlyDictionary<string, DateTimeOffset> LastStarts, IReadOnlySet<string> KnownRunIds);
