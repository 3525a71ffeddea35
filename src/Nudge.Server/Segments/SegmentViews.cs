using System.Text.Json;
using Nudge.Storage.Segments;

namespace Nudge.Server.Segments;

/// <summary>A segment as the API shows it.</summary>
/// <param name="Id">Segment id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Version">Grows with every edit.</param>
/// <param name="Status"><c>building</c> while members are computed in the background, then <c>ready</c>.</param>
/// <param name="Build">Progress of the latest build.</param>
/// <param name="Definition">The definition document.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="UpdatedAt">Last edit.</param>
public sealed record SegmentView(
    string Id, string Name, long Version, string Status, BuildView Build, JsonElement Definition, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static SegmentView Of(SegmentRecord r) => new(
        r.Id, r.Name, r.Version, r.Status == SegmentStatus.Ready ? "ready" : "building", BuildView.Of(r.Build),
        JsonSerializer.Deserialize<JsonElement>(r.Definition), r.CreatedAt, r.UpdatedAt);
}

/// <summary>Where a background build stands.</summary>
/// <param name="Phase"><c>scanning</c> (reading the event log), <c>members</c> (evaluating profiles) or <c>done</c>.</param>
/// <param name="Done">Events or profiles finished in the phase.</param>
/// <param name="Total">Events or profiles in the phase (an estimate while profiles are evaluated).</param>
/// <param name="Percent">Done as a share of total, 0-100, in the current phase.</param>
/// <param name="StartedAt">When the build started.</param>
/// <param name="FinishedAt">When it finished.</param>
public sealed record BuildView(string Phase, long Done, long Total, double Percent, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public static BuildView Of(SegmentBuildProgress p) => new(
        p.Phase, p.Done, p.Total, p.Phase == "done" ? 100 : p.Total == 0 ? 0 : Math.Round(100.0 * Math.Min(p.Done, p.Total) / p.Total, 1),
        p.StartedAt, p.FinishedAt);
}

/// <summary>A member of a segment.</summary>
public sealed record MemberView(string ProfileId, DateTimeOffset EnteredAt);

/// <summary>A page of members; <paramref name="Next"/> is the <c>after</c> of the next page, null on the last.</summary>
public sealed record MembersPage(IReadOnlyList<MemberView> Members, string? Next);

/// <summary>How many members a segment has.</summary>
public sealed record CountView(string SegmentId, long Count, string Status);

/// <summary>A dry run's answer.</summary>
public sealed record PreviewView(long Count, long Evaluated, IReadOnlyList<string> Sample);

/// <summary>A segment a profile belongs to, or left.</summary>
public sealed record ProfileSegmentView(string SegmentId, string? Name, bool Member, DateTimeOffset Since);
