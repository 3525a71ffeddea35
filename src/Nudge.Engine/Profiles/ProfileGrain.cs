using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Nudge.Core.Ingestion;
using Nudge.Core.Profiles;
using Nudge.Engine.Flows;
using Nudge.Engine.Segments;
using Nudge.Storage.Lists;
using Nudge.Storage.Segments;
using Orleans.Concurrency;

namespace Nudge.Engine.Profiles;

/// <summary>
/// Thin host of <see cref="ProfileProjection"/> and <see cref="ProfileSegments"/>: loads the profile, folds events
/// into it and its segment tallies, re-evaluates the segments they can affect, and saves both together when the
/// partition reader checkpoints (<see cref="FlushAsync"/>) or the grain deactivates. Single-threaded per profile
/// by Orleans, so no locks and no lost updates.
/// </summary>
public sealed partial class ProfileGrain(ProfileEngine engine) : Grain, IProfileGrain
{
    private Profile? _profile;
    private ProfileSegments? _segments;
    private ProfileFlows? _runs;
    private bool _erased;
    private bool _dirty;

    /// <summary>The lists as last saved: what the next save's list membership changes are worked out against.</summary>
    private ImmutableSortedDictionary<string, DateTimeOffset> _savedLists = ImmutableSortedDictionary<string, DateTimeOffset>.Empty;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_profile, _erased) = await engine.Store.LoadStoredAsync(this.GetPrimaryKeyString(), cancellationToken);
        _savedLists = _profile?.Lists ?? _savedLists;
    }

    public async Task ApplyAsync(Immutable<IReadOnlyList<LoggedEvent>> batch)
    {
        var events = batch.Value;
        if (_erased || events.Count == 0)
            return;

        var before = _profile ?? Profile.Empty(this.GetPrimaryKeyString(), events[0].WorkspaceId);
        var profile = before;
        var segments = engine.Catalog.For(profile.WorkspaceId);
        var tallies = await SegmentsAsync(profile, segments);
        var now = engine.Time.GetUtcNow();
        var affected = new HashSet<string>(StringComparer.Ordinal);
        var applied = new List<LoggedEvent>(events.Count);
        await CatchUpAsync(profile, segments, tallies, now, affected);

        for (var i = 0; i < events.Count; i++)
        {
            if (profile.MergedInto is { } survivor)
            {
                // Events logged under this id before the merge still arrive here; they belong to the survivor now.
                // The survivor saves at once: this partition's checkpoint does not cover it.
                await SaveAsync(profile);
                var target = GrainFactory.GetGrain<IProfileGrain>(survivor);
                await target.ApplyAsync(new(events.Skip(i).ToList()));
                await target.FlushAsync();
                return;
            }

            var e = events[i];
            if (profile.AppliedThrough.TryGetValue(e.ProfileId, out var through) && e.Sequence <= through)
                continue;

            foreach (var absorbedId in e.Identity.Absorbed)
            {
                if (absorbedId == profile.Id)
                    continue;
                var absorbed = await GrainFactory.GetGrain<IProfileGrain>(absorbedId).AbsorbIntoAsync(profile.Id);
                if (absorbed is null)
                    continue;
                profile = ProfileProjection.Absorb(profile, absorbed.Profile);
                tallies.Absorb(absorbed.Tallies.Select(t => (t.Key, t.Text)));
                affected.UnionWith(segments.ById.Keys);
            }

            tallies.Fold(e, segments, now, affected);
            profile = ProfileProjection.Apply(profile, e);
            applied.Add(e);
        }

        _profile = profile with { SegmentBoundary = segments.MaxBuildThrough };
        _dirty = true;
        if (ProfileChanged(before, profile))
            affected.UnionWith(segments.InOrder.Where(s => s.ReadsProfile && s.ProfileInputsChanged(before, profile)).Select(s => s.Id));
        // Entries and exits that imported history alone caused are history too: flows do not start on them (ADR 0017).
        await EvaluateAsync(segments, tallies, affected, now, imported: applied.Count > 0 && applied.TrueForAll(a => ImportMark.IsImported(a.Body)));
        if (applied.Count > 0)
            await engine.Coupons.ObserveAsync(applied, CancellationToken.None);
        if (applied.Count > 0 && engine.Flows.HasFlows(profile.WorkspaceId))
            await WithRunsAsync(runs => engine.Flows.OnEventsAsync(runs, _profile, applied, IsInSegment));
    }

    public async Task WakeRunAsync(string runId, DateTimeOffset due)
    {
        if (_erased || _profile is null)
            return;
        await WithRunsAsync(runs => engine.Flows.OnTimerAsync(runs, _profile, runId, due, IsInSegment));
    }

    public async Task WakeDateFlowAsync(string flowId, DateTimeOffset due)
    {
        if (_erased || _profile is null || _profile.MergedInto is not null)
            return;
        await WithRunsAsync(runs => engine.Flows.OnDateAsync(runs, _profile, flowId, due, IsInSegment));
    }

    public async Task<FlowStartResult> StartFlowAsync(string flowId, string startKey, string dataJson)
    {
        if (_erased || _profile is null || _profile.MergedInto is not null)
            return new FlowStartResult(null, "the profile is unknown, erased or merged");
        using var data = System.Text.Json.JsonDocument.Parse(dataJson);
        var result = await WithRunsAsync(runs => engine.Flows.StartAsync(runs, _profile, flowId, startKey, data.RootElement, IsInSegment));
        return new FlowStartResult(result.RunId, result.Refusal);
    }

    public async Task<bool> CancelRunAsync(string runId)
    {
        if (_erased || _profile is null)
            return false;
        return await WithRunsAsync(runs => engine.Flows.CancelAsync(runs, _profile, runId, "cancelled through the API"));
    }

    /// <summary>
    /// Runs a flow action on the loaded runs. When writing fails, the runs are dropped and read again next time, so
    /// plans that were never saved are forgotten and the retry makes them again.
    /// </summary>
    private async Task<T> WithRunsAsync<T>(Func<ProfileFlows, Task<T>> action)
    {
        _runs ??= await engine.Flows.LoadAsync(this.GetPrimaryKeyString(), _profile?.WorkspaceId ?? "");
        try
        {
            return await action(_runs);
        }
        catch
        {
            _runs = null;
            throw;
        }
    }

    private Task WithRunsAsync(Func<ProfileFlows, Task> action) => WithRunsAsync(async runs =>
    {
        await action(runs);
        return true;
    });

    private bool IsInSegment(string segmentId) => _segments?.IsMember(segmentId) == true;

    public async Task FlushAsync()
    {
        if (_dirty && _profile is not null && !_erased)
            await SaveAsync(_profile);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await FlushAsync();

    public async Task<AbsorbedProfile?> AbsorbIntoAsync(string survivorId)
    {
        if (_erased)
            return null;

        var state = _profile ?? Profile.Empty(this.GetPrimaryKeyString(), "");
        var tallies = state.WorkspaceId.Length == 0 ? null : await SegmentsAsync(state, engine.Catalog.For(state.WorkspaceId));
        var handed = tallies?.AllTallies().Select(t => new StoredTally(t.Key, t.Tally)).ToList() ?? [];
        tallies?.LeaveAll(engine.Time.GetUtcNow());
        // The survivor takes the lists over (its own rows say so once it saves); this id is on none any more.
        await SaveAsync(state with { MergedInto = survivorId, Lists = ImmutableSortedDictionary<string, DateTimeOffset>.Empty });
        Log.Absorbed(engine.Logger, state.Id, survivorId);
        return new AbsorbedProfile(state, handed);
    }

    public async Task ReevaluateSegmentsAsync()
    {
        if (_erased || _profile is null || _profile.MergedInto is not null)
            return;

        var segments = engine.Catalog.For(_profile.WorkspaceId);
        var tallies = await SegmentsAsync(_profile, segments);
        await EvaluateAsync(segments, tallies, segments.ById.Keys.ToHashSet(StringComparer.Ordinal), engine.Time.GetUtcNow());
        // Nobody checkpoints a wake-up: save now, or the next moment would be lost with this activation.
        await SaveAsync(_profile);
    }

    public Task<Profile?> GetAsync() => Task.FromResult(_erased ? null : _profile);

    public async Task<IReadOnlyList<MembershipView>> GetSegmentsAsync()
    {
        if (_erased || _profile is null)
            return [];
        var segments = engine.Catalog.For(_profile.WorkspaceId);
        var tallies = await SegmentsAsync(_profile, segments);
        await ConfirmBuiltAsync(segments, tallies);
        return tallies.Memberships.Select(m => new MembershipView(m.SegmentId, m.IsMember, m.ChangedAt)).ToList();
    }

    public Task EraseAsync()
    {
        _erased = true;
        _profile = null;
        _segments = null;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private async Task<ProfileSegments> SegmentsAsync(Profile profile, WorkspaceSegments segments)
    {
        // A workspace without segments costs no reads; the state is loaded once it has some.
        if (segments.InOrder.Count == 0)
            return _segments ?? new ProfileSegments(profile.Id, ProfileSegmentState.Empty, segments, engine.Time.GetUtcNow());
        // The catalog is read before the rows: a segment ready in it had its build written before this load.
        return _segments ??= new ProfileSegments(profile.Id, await engine.SegmentStates.LoadAsync(profile.Id, CancellationToken.None), segments, engine.Time.GetUtcNow());
    }

    /// <summary>
    /// A segment created while this profile's events were being applied may have missed some of them (its build
    /// stops at its boundary; this grain had not counted for it yet): those events are read again and counted.
    /// </summary>
    private async Task CatchUpAsync(Profile profile, WorkspaceSegments segments, ProfileSegments tallies, DateTimeOffset now, HashSet<string> affected)
    {
        if (segments.MaxBuildThrough <= profile.SegmentBoundary || profile.AppliedThrough.IsEmpty)
            return;
        var applied = profile.AppliedThrough.Values.Max();
        var missed = segments.InOrder.Where(s => s.BuildThrough > profile.SegmentBoundary && s.BuildThrough < applied).ToList();
        if (missed.Count == 0)
            return;
        foreach (var e in await engine.Reader.ReadFamilyAsync(profile.Id, missed.Min(s => s.BuildThrough), applied, CancellationToken.None))
            tallies.Fold(e, segments, now, affected, newerThan: profile.SegmentBoundary);
    }

    private async Task EvaluateAsync(WorkspaceSegments segments, ProfileSegments tallies, HashSet<string> candidates, DateTimeOffset now, bool imported = false)
    {
        candidates.UnionWith(await ConfirmBuiltAsync(segments, tallies));

        if (_profile is null || candidates.Count == 0 && !tallies.NeedsFirstEvaluation)
            return;
        var changes = tallies.Evaluate(_profile, segments, candidates, now);
        if (changes.Count == 0)
            return;
        _dirty = true;
        await engine.Log.AppendAsync(changes.Select(c => SegmentChangeEvents.For(_profile.WorkspaceId, c, imported)).ToList(), CancellationToken.None);
    }

    /// <summary>Takes in what builds finished since this grain last looked wrote for its profile; returns those segments.</summary>
    private async Task<IReadOnlyList<string>> ConfirmBuiltAsync(WorkspaceSegments segments, ProfileSegments tallies)
    {
        var confirmed = new List<string>();
        var id = this.GetPrimaryKeyString();
        foreach (var segment in tallies.Unconfirmed(segments))
        {
            tallies.Confirm(segment,
                await engine.SegmentStates.LoadTalliesAsync(id, segment.TallyPrefix, CancellationToken.None),
                await engine.SegmentStates.LoadMembershipAsync(id, segment.Id, CancellationToken.None));
            confirmed.Add(segment.Id);
        }
        return confirmed;
    }

    private static bool ProfileChanged(Profile before, Profile after) =>
        !ReferenceEquals(before.Traits, after.Traits) || !ReferenceEquals(before.Computed, after.Computed)
        || !ReferenceEquals(before.Consent, after.Consent) || before.Location != after.Location
        || before.TimeZone != after.TimeZone || !ReferenceEquals(before.Identities, after.Identities)
        || !ReferenceEquals(before.Lists, after.Lists);

    private async Task SaveAsync(Profile profile)
    {
        _profile = profile;
        _dirty = false;
        if (profile.WorkspaceId.Length == 0)
            return;
        var changes = _segments?.TakeChanges(engine.Catalog.For(profile.WorkspaceId), engine.Time.GetUtcNow());
        var lists = ListMembershipChanges.Between(profile.Id, _savedLists, profile.Lists, engine.Time.GetUtcNow());
        await engine.SegmentStates.SaveAsync(profile, changes, lists, CancellationToken.None);
        _savedLists = profile.Lists;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Profile {Absorbed} merged into {Survivor}")]
        public static partial void Absorbed(ILogger logger, string absorbed, string survivor);
    }
}
