using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nudge.Core.Profiles;
using Nudge.Core.Segments;
using Nudge.Engine.Profiles;
using Nudge.Storage.Events;
using Nudge.Storage.Segments;

namespace Nudge.Engine.Segments;

/// <summary>
/// Builds the members of new and edited segments in the background (ADR 0007): reads the log once, front to
/// back, up to the segment's build boundary, counting matching events per profile; evaluates every profile;
/// writes members, the built part of the tallies and wake-ups; marks the segment ready. The profiles' grains
/// count every event after the boundary, so nothing is counted twice or missed. The scan is checkpointed: a
/// restarted build resumes where it stood.
/// </summary>
public sealed partial class SegmentBuilds(
    SegmentStore store,
    SegmentCatalog catalog,
    SegmentBuildReads reads,
    SegmentBuildWrites writes,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<SegmentBuilds> logger) : BackgroundService
{
    private const int EventPage = 20_000;
    private const int ProfilePage = 2_000;
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    private readonly LogSignal _requested = new();

    /// <summary>Starts pending builds now instead of at the next poll.</summary>
    public void Poke() => _requested.Notify();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var segment in (await store.ListAllAsync(stoppingToken)).Where(s => s.Status == SegmentStatus.Building))
                    await BuildAsync(segment, stoppingToken);
                await _requested.WaitAsync(Poll, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.BuildFailed(logger, ex);
                await Task.Delay(Poll, time, stoppingToken);
            }
        }
    }

    private async Task BuildAsync(SegmentRecord record, CancellationToken ct)
    {
        using var json = JsonDocument.Parse(record.Definition);
        if (SegmentDefinitionReader.Read(json.RootElement).Definition is not { } definition)
            return;
        var segment = CompiledSegment.Compile(record, definition.Condition);
        Log.BuildStarted(logger, record.Id, record.Version, record.BuildThrough);

        var checkpoint = await store.LoadCheckpointAsync(record.Id, record.Version, ct);
        var tallies = checkpoint is null ? new BuildTallies(segment.Tallied.Length) : BuildTallies.FromCheckpoint(checkpoint, segment.Tallied.Length);
        if (!await ScanAsync(segment, tallies, checkpoints: true, ct))
            return;
        if (!await EvaluateProfilesAsync(segment, tallies, ct))
            return;
        if (!await store.MarkReadyAsync(record.Id, record.Version, ct))
            return;

        await catalog.ReloadAsync(ct);
        Log.BuildFinished(logger, record.Id, record.Version);
        await RefreshLaterProfilesAsync(segment, ct);
    }

    /// <summary>Counts the matching events of the log up to the build boundary.</summary>
    private async Task<bool> ScanAsync(CompiledSegment segment, BuildTallies tallies, bool checkpoints, CancellationToken ct)
    {
        if (tallies.Scanned || segment.Tallied.IsEmpty)
            return true;

        var record = segment.Record;
        var survivors = await reads.SurvivorsAsync(record.WorkspaceId, ct);
        var start = tallies.ScannedThrough;
        var lastCheckpoint = time.GetUtcNow();
        while (tallies.ScannedThrough < record.BuildThrough)
        {
            var (events, readThrough) = await reads.TrackEventsAsync(
                record.WorkspaceId, segment.Events, tallies.ScannedThrough, record.BuildThrough, EventPage, ct);
            var now = time.GetUtcNow();
            foreach (var e in events)
            {
                var profileId = survivors.GetValueOrDefault(e.ProfileId) ?? e.ProfileId;
                for (var i = 0; i < segment.Tallied.Length; i++)
                {
                    var condition = segment.Tallied[i];
                    if (condition.Event == e.Name && condition.TryRead(e, out var value))
                        tallies.Get(profileId, i).Add(condition.Window, e.Timestamp, value, now);
                }
            }
            tallies.ScannedThrough = readThrough;

            if (checkpoints && time.GetUtcNow() - lastCheckpoint >= CheckpointEvery)
            {
                if (!await StillCurrentAsync(record, ct))
                    return false;
                await store.SaveCheckpointAsync(record.Id, record.Version, tallies.ToCheckpoint(), ct);
                await store.SetBuildProgressAsync(record.Id, record.Version, "scanning", tallies.ScannedThrough - start, record.BuildThrough - start, ct);
                lastCheckpoint = time.GetUtcNow();
            }
        }

        tallies.Scanned = true;
        if (checkpoints)
            await store.SaveCheckpointAsync(record.Id, record.Version, tallies.ToCheckpoint(), ct);
        return true;
    }

    /// <summary>
    /// A dry run of a definition: reads the log and evaluates every profile as a build would, in memory, and
    /// returns how many profiles would be members and the first of them.
    /// </summary>
    public async Task<SegmentPreview> PreviewAsync(string workspaceId, Condition condition, int sampleSize, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var through = await reads.LastSequenceAsync(ct);
        var record = new SegmentRecord("preview", workspaceId, "preview", "", 1, SegmentStatus.Building, through,
            new SegmentBuildProgress("scanning", 0, 0, now, null), now, now);
        var segment = CompiledSegment.Compile(record, condition);
        var tallies = new BuildTallies(segment.Tallied.Length);
        await ScanAsync(segment, tallies, checkpoints: false, ct);

        var otherMembers = await reads.MembersOfAsync(segment.ReadsSegments, ct);
        var count = 0L;
        var evaluated = 0L;
        var sample = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var after = "";
        while (await reads.ProfilesAsync(workspaceId, after, ProfilePage, ct) is { Count: > 0 } profiles)
        {
            after = profiles[^1].Id;
            foreach (var profile in profiles)
                Count(profile);
        }
        foreach (var id in tallies.ByProfile.Keys.Where(id => !seen.Contains(id)).ToList())
            Count(Profile.Empty(id, workspaceId));
        return new SegmentPreview(count, evaluated, sample);

        void Count(Profile profile)
        {
            seen.Add(profile.Id);
            evaluated++;
            var facts = new BuildFacts(profile, segment, tallies.ByProfile.GetValueOrDefault(profile.Id), otherMembers);
            if (!SegmentEvaluator.Evaluate(segment.Condition, facts, now).IsMember)
                return;
            count++;
            if (sample.Count < sampleSize)
                sample.Add(profile.Id);
        }
    }

    /// <summary>Evaluates every profile of the workspace and writes members, tallies and wake-ups.</summary>
    private async Task<bool> EvaluateProfilesAsync(CompiledSegment segment, BuildTallies tallies, CancellationToken ct)
    {
        var record = segment.Record;
        var otherMembers = await reads.MembersOfAsync(segment.ReadsSegments, ct);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var done = 0L;
        var after = "";
        while (true)
        {
            var profiles = await reads.ProfilesAsync(record.WorkspaceId, after, ProfilePage, ct);
            if (profiles.Count == 0)
                break;
            after = profiles[^1].Id;
            seen.UnionWith(profiles.Select(p => p.Id));
            await writes.WriteAsync(profiles.Select(p => Evaluate(segment, p, tallies, otherMembers)).OfType<BuiltProfile>().ToList(), record.Id, ct);
            done += profiles.Count;
            if (!await StillCurrentAsync(record, ct))
                return false;
            await store.SetBuildProgressAsync(record.Id, record.Version, "members", done, done + ProfilePage, ct);
        }

        // Profiles whose events are logged but whose grains have not saved them yet.
        var unsaved = tallies.ByProfile.Keys.Where(id => !seen.Contains(id)).ToList();
        foreach (var chunk in unsaved.Chunk(ProfilePage))
        {
            var built = chunk.Select(id => Evaluate(segment, Profile.Empty(id, record.WorkspaceId), tallies, otherMembers)).OfType<BuiltProfile>().ToList();
            await writes.WriteAsync(built, record.Id, ct);
        }
        await store.SetBuildProgressAsync(record.Id, record.Version, "members", done + unsaved.Count, done + unsaved.Count, ct);
        return true;
    }

    private BuiltProfile? Evaluate(CompiledSegment segment, Profile profile, BuildTallies tallies, IReadOnlySet<(string, string)> otherMembers)
    {
        var now = time.GetUtcNow();
        var counted = tallies.ByProfile.GetValueOrDefault(profile.Id);
        var verdict = SegmentEvaluator.Evaluate(segment.Condition, new BuildFacts(profile, segment, counted, otherMembers), now);
        var stored = new List<(string Key, string Built)>();
        if (counted is not null)
        {
            for (var i = 0; i < counted.Length; i++)
            {
                if (counted[i] is { IsEmpty: false } tally)
                {
                    tally.Prune(segment.Tallied[i].Window, now);
                    stored.Add((segment.Tallied[i].TallyKey, TallyText.Write(tally)));
                }
            }
        }

        // A first version has no earlier rows to turn off: non-members without tallies need no write at all.
        if (!verdict.IsMember && stored.Count == 0 && segment.Version == 1 && verdict.ValidUntil is null)
            return null;
        return new BuiltProfile(profile.Id, verdict.IsMember, now, stored, verdict.ValidUntil);
    }

    /// <summary>Profiles with events after the boundary may have moved since the build looked: their grains re-evaluate.</summary>
    private async Task RefreshLaterProfilesAsync(CompiledSegment segment, CancellationToken ct)
    {
        var survivors = await reads.SurvivorsAsync(segment.Record.WorkspaceId, ct);
        var ids = (await reads.ProfilesWithEventsAfterAsync(segment.Record.WorkspaceId, segment.BuildThrough, ct))
            .Select(id => survivors.GetValueOrDefault(id) ?? id)
            .Distinct(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(100))
            await Task.WhenAll(chunk.Select(id => grains.GetGrain<IProfileGrain>(id).ReevaluateSegmentsAsync()));
    }

    private async Task<bool> StillCurrentAsync(SegmentRecord record, CancellationToken ct) =>
        await store.GetAsync(record.WorkspaceId, record.Id, ct) is { } current && current.Version == record.Version;

    /// <summary>What the evaluator may know during a build.</summary>
    private sealed class BuildFacts(Profile profile, CompiledSegment segment, EventTally?[]? tallies, IReadOnlySet<(string, string)> otherMembers) : ISegmentFacts
    {
        public Profile Profile => profile;

        public EventTally Tally(string conditionKey)
        {
            var key = segment.TallyPrefix + conditionKey;
            for (var i = 0; i < segment.Tallied.Length; i++)
            {
                if (segment.Tallied[i].TallyKey == key)
                    return tallies?[i] ?? new EventTally();
            }
            return new EventTally();
        }

        public bool IsInList(string listId) => profile.Lists.ContainsKey(listId);

        public bool IsInSegment(string segmentId) => otherMembers.Contains((segmentId, profile.Id));
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Building segment {Segment} version {Version} from the log up to sequence {Through}")]
        public static partial void BuildStarted(ILogger logger, string segment, long version, long through);

        [LoggerMessage(Level = LogLevel.Information, Message = "Segment {Segment} version {Version} is built and kept current from now on")]
        public static partial void BuildFinished(ILogger logger, string segment, long version);

        [LoggerMessage(Level = LogLevel.Error, Message = "A segment build failed; it resumes from its checkpoint")]
        public static partial void BuildFailed(ILogger logger, Exception exception);
    }
}
