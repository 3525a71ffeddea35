using System.Runtime.CompilerServices;
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
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(20);
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
        var started = time.GetUtcNow();
        var lastCheckpoint = started;
        var names = segment.Events;
        while (tallies.ScannedThrough < record.BuildThrough)
        {
            var now = time.GetUtcNow();
            tallies.ScannedThrough = await reads.ScanTrackEventsAsync(
                record.WorkspaceId, names, tallies.ScannedThrough, record.BuildThrough, EventPage, (name, at, body) => WorthParsing(name, at, body, now), e => Count(e, now), ct);

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
        Log.Scanned(logger, record.Id, record.BuildThrough - start, tallies.ByProfile.Count, (time.GetUtcNow() - started).TotalSeconds);
        if (checkpoints)
            await store.SaveCheckpointAsync(record.Id, record.Version, tallies.ToCheckpoint(), ct);
        return true;

        // Most of a long history lies outside a rolling window: those events are not even parsed.
        bool WorthParsing(string name, DateTimeOffset at, string body, DateTimeOffset now)
        {
            foreach (var condition in segment.Tallied)
            {
                if (condition.Event == name && condition.Window.Admits(at, now) && condition.MightMatch(body))
                    return true;
            }
            return false;
        }

        void Count(Nudge.Core.Ingestion.LoggedEvent e, DateTimeOffset now)
        {
            var profileId = survivors.GetValueOrDefault(e.ProfileId) ?? e.ProfileId;
            for (var i = 0; i < segment.Tallied.Length; i++)
            {
                var condition = segment.Tallied[i];
                if (condition.Event == e.Name && condition.Window.Admits(e.Timestamp, now) && condition.TryRead(e, out var value))
                    tallies.Get(profileId, i).Add(condition.Window, e.Timestamp, value, now);
            }
        }
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
        await foreach (var profiles in ProfilesToEvaluateAsync(segment, tallies, otherMembers, ct))
        {
            foreach (var profile in profiles)
            {
                evaluated++;
                var facts = new BuildFacts(profile, segment, tallies.ByProfile.GetValueOrDefault(profile.Id), otherMembers);
                if (!SegmentEvaluator.Evaluate(segment.Condition, facts, now).IsMember)
                    continue;
                count++;
                if (sample.Count < sampleSize)
                    sample.Add(profile.Id);
            }
        }
        return new SegmentPreview(count, evaluated, sample);
    }

    /// <summary>Evaluates every profile of the workspace and writes members, tallies and wake-ups.</summary>
    private async Task<bool> EvaluateProfilesAsync(CompiledSegment segment, BuildTallies tallies, CancellationToken ct)
    {
        var record = segment.Record;
        var started = time.GetUtcNow();
        var otherMembers = await reads.MembersOfAsync(segment.ReadsSegments, ct);
        var done = 0L;
        await foreach (var profiles in ProfilesToEvaluateAsync(segment, tallies, otherMembers, ct))
        {
            await writes.WriteAsync(profiles.Select(p => Evaluate(segment, p, tallies, otherMembers)).OfType<BuiltProfile>().ToList(), record.Id, ct);
            done += profiles.Count;
            if (!await StillCurrentAsync(record, ct))
                return false;
            await store.SetBuildProgressAsync(record.Id, record.Version, "members", done, done + ProfilePage, ct);
        }
        await store.SetBuildProgressAsync(record.Id, record.Version, "members", done, done, ct);
        Log.Evaluated(logger, record.Id, done, (time.GetUtcNow() - started).TotalSeconds);
        return true;
    }

    /// <summary>
    /// The profiles a build must answer for, a page at a time: every profile of the workspace, except when the
    /// definition looks at events alone and says "no, for good" to anyone without matching events (and there
    /// are no earlier rows to turn off): then only the profiles with matching events. Profile states are read
    /// only when the definition looks at them. Profiles with matching events whose grains have not saved them
    /// yet come last.
    /// </summary>
    private async IAsyncEnumerable<IReadOnlyList<Profile>> ProfilesToEvaluateAsync(
        CompiledSegment segment, BuildTallies tallies, IReadOnlySet<(string, string)> otherMembers, [EnumeratorCancellation] CancellationToken ct)
    {
        var workspace = segment.Record.WorkspaceId;
        var eventsOnly = !segment.ReadsProfile && segment.ReadsSegments.IsEmpty;
        var nobody = SegmentEvaluator.Evaluate(segment.Condition, new BuildFacts(Profile.Empty("", workspace), segment, null, otherMembers), time.GetUtcNow());
        var onlyWithEvents = eventsOnly && !nobody.IsMember && nobody.ValidUntil is null && segment.Version == 1;

        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (!onlyWithEvents)
        {
            var survivors = await reads.SurvivorsAsync(workspace, ct);
            var after = "";
            while (true)
            {
                var page = eventsOnly
                    ? (await reads.ProfileIdsAsync(workspace, after, ProfilePage, ct)).Select(id => Profile.Empty(id, workspace)).ToList()
                    : await reads.ProfilesAsync(workspace, after, ProfilePage, ct);
                if (page.Count == 0)
                    break;
                after = page[^1].Id;
                // Profiles merged into others are answered as part of their survivors.
                var profiles = page.Where(p => p.MergedInto is null && !survivors.ContainsKey(p.Id)).ToList();
                seen.UnionWith(profiles.Select(p => p.Id));
                if (profiles.Count > 0)
                    yield return profiles;
            }
        }

        foreach (var chunk in tallies.ByProfile.Keys.Where(id => !seen.Contains(id)).Chunk(ProfilePage))
            yield return chunk.Select(id => Profile.Empty(id, workspace)).ToList();
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

        [LoggerMessage(Level = LogLevel.Information, Message = "Segment {Segment}: read {Events} events of the log in {Seconds:0.0} s; {Profiles} profiles have matching events")]
        public static partial void Scanned(ILogger logger, string segment, long events, int profiles, double seconds);

        [LoggerMessage(Level = LogLevel.Information, Message = "Segment {Segment}: evaluated {Profiles} profiles in {Seconds:0.0} s")]
        public static partial void Evaluated(ILogger logger, string segment, long profiles, double seconds);

        [LoggerMessage(Level = LogLevel.Error, Message = "A segment build failed; it resumes from its checkpoint")]
        public static partial void BuildFailed(ILogger logger, Exception exception);
    }
}
