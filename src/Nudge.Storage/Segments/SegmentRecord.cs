namespace Nudge.Storage.Segments;

/// <summary>A segment as stored: its accepted definition document and where its membership stands.</summary>
/// <param name="Id">Segment id (<c>seg_...</c>).</param>
/// <param name="WorkspaceId">The shop it belongs to.</param>
/// <param name="Name">Display name.</param>
/// <param name="Definition">The definition JSON document as accepted by the API.</param>
/// <param name="Version">Grows with every edit; tallies and builds belong to one version.</param>
/// <param name="Status">Whether members are being built or kept current.</param>
/// <param name="BuildThrough">The build counts events up to this log sequence; grains count the later ones.</param>
/// <param name="Build">Progress of the background build.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="UpdatedAt">Last edit.</param>
public sealed record SegmentRecord(
    string Id,
    string WorkspaceId,
    string Name,
    string Definition,
    long Version,
    SegmentStatus Status,
    long BuildThrough,
    SegmentBuildProgress Build,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public enum SegmentStatus
{
    /// <summary>The background build is computing the members of this version.</summary>
    Building,

    /// <summary>Members are complete and kept current by the profiles' grains.</summary>
    Ready,
}

/// <summary>Where a background build stands.</summary>
/// <param name="Phase">scanning (reading the event log), members (evaluating profiles), catching-up, done.</param>
/// <param name="Done">Items finished in the phase (events or profiles).</param>
/// <param name="Total">Items in the phase.</param>
/// <param name="StartedAt">When the build started.</param>
/// <param name="FinishedAt">When it finished; null while building.</param>
public sealed record SegmentBuildProgress(string Phase, long Done, long Total, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);
