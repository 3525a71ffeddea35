namespace Nudge.Storage.Flows;

/// <summary>A flow as the admin API shows it: its latest definition and which version new runs start on.</summary>
/// <param name="Id">Flow id (<c>flw_...</c>).</param>
/// <param name="WorkspaceId">The shop.</param>
/// <param name="Name">Its name (from the latest definition).</param>
/// <param name="Status">draft, live, paused or archived.</param>
/// <param name="Version">The latest version's number.</param>
/// <param name="LiveVersion">The version new runs start on; null until the flow is first activated.</param>
/// <param name="Definition">The latest version's definition (JSON).</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record FlowRecord(
    string Id, string WorkspaceId, string Name, string Status, int Version, int? LiveVersion, string Definition,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>Being built: no runs start.</summary>
    public const string Draft = "draft";

    /// <summary>Triggers start runs.</summary>
    public const string Live = "live";

    /// <summary>No new runs; runs in progress go on.</summary>
    public const string Paused = "paused";

    /// <summary>Retired: no new runs, no edits.</summary>
    public const string Archived = "archived";
}

/// <summary>One stored version of a flow; <c>MoveRuns</c> is true when the edit that made it moved the runs in progress onto it.</summary>
public sealed record FlowVersion(string FlowId, int Version, string Definition, bool MoveRuns, DateTimeOffset CreatedAt);
