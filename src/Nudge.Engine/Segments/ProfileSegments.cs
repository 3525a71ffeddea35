using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nudge.Core.Ingestion;
using Nudge.Core.Profiles;
using Nudge.Core.Segments;
using Nudge.Storage.Segments;

namespace Nudge.Engine.Segments;

/// <summary>
/// The segment side of one profile's grain: its memberships and condition tallies, folded event by event and
/// evaluated with <see cref="SegmentEvaluator"/>. Not thread-safe; the grain calls it one turn at a time.
/// </summary>
public sealed class ProfileSegments
{
    private readonly string _profileId;
    private readonly Dictionary<string, Membership> _memberships = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TallyState> _tallies = new(StringComparer.Ordinal);
    // Made when first needed and let go after each save (a cleared set keeps its arrays): a million awake profiles
    // mostly have nothing in them.
    private Dictionary<string, DateTimeOffset>? _validUntil;
    private HashSet<string>? _changedMemberships;
    private HashSet<string>? _droppedTallies;

    /// <summary>The parts builds counted, as stored, for segments still building; folded into the live tallies once ready.</summary>
    private Dictionary<string, string>? _builtParts;

    /// <summary>Segment versions that finished building after the load, whose build rows this grain has read since.</summary>
    private HashSet<string>? _confirmedLater;

    /// <summary>The catalog as it stood when the rows were read: versions ready in it had their builds written before.</summary>
    /// <remarks>Shared by every grain loaded with it, so a profile holds no per-segment bookkeeping of its own.</remarks>
    private readonly WorkspaceSegments _loadedWith;

    private DateTimeOffset? _storedWakeUp;
    private bool _evaluatedAll;

    /// <summary>True when tallies may have become equal since the last look (confirmed, absorbed).</summary>
    private bool _sharingDue;

    /// <summary>How many groups of shared tallies have a number; 0 when every tally is its own.</summary>
    private byte _sharedGroups;

    /// <summary>The most groups of shared tallies a profile keeps: one bit each in <see cref="Fold"/>.</summary>
    private const int MaxSharedGroups = 63;

    /// <summary>The profile's rows: segments it is in, and segments it has left.</summary>
    public IEnumerable<SegmentMembership> Memberships => _memberships.Select(m => m.Value.Of(m.Key, _profileId));

    /// <summary>True when the profile is in the segment now.</summary>
    public bool IsMember(string segmentId) => _memberships.TryGetValue(segmentId, out var membership) && membership.IsMember;

    /// <summary>True until the first evaluation after loading, which answers every segment.</summary>
    public bool NeedsFirstEvaluation => !_evaluatedAll;

    /// <param name="profileId">The profile.</param>
    /// <param name="stored">Its rows, as read.</param>
    /// <param name="catalog">The workspace's segments, read before the rows.</param>
    /// <param name="now">Engine time: entries that have left their rolling windows are let go.</param>
    public ProfileSegments(string profileId, ProfileSegmentState stored, WorkspaceSegments catalog, DateTimeOffset now)
    {
        _profileId = profileId;
        _loadedWith = catalog;
        // Names read from the store are swapped for the catalog's and the grain's own strings: awake profiles share them.
        foreach (var membership in stored.Memberships)
        {
            _memberships[catalog.Shared(membership.SegmentId)] = Membership.From(membership);
        }
        foreach (var row in stored.Tallies.Where(r => r.Key == ProfileSegmentState.LiveTalliesKey && r.Live is not null))
        {
            foreach (var (key, tally) in TallyText.ReadAll(row.Live!))
                State(catalog.Shared(key)).Live = tally;
        }
        foreach (var row in stored.Tallies.Where(r => r.Key != ProfileSegmentState.LiveTalliesKey && r.Built is not null))
            TakeBuilt(catalog.Shared(row.Key), row.Built!, catalog.TryGetTally(row.Key, out var segment, out _) && segment.IsReady);
        _storedWakeUp = stored.WakeUp;
        // Grown entry by entry while loading: up to twice the room needed, for as long as the grain is awake.
        _memberships.TrimExcess();
        _tallies.TrimExcess();
        ShareEqualTallies(catalog, now);
    }

    /// <summary>Counts one event into the tallies of the segments it can affect; returns true when any tally changed.</summary>
    /// <param name="e">The event.</param>
    /// <param name="catalog">The workspace's segments.</param>
    /// <param name="now">Engine time.</param>
    /// <param name="affected">Receives the ids of the segments whose tallies changed.</param>
    /// <param name="newerThan">Only segments whose build boundary is above this (a catch-up after a missed catalog change).</param>
    public bool Fold(LoggedEvent e, WorkspaceSegments catalog, DateTimeOffset now, HashSet<string> affected, long newerThan = -1)
    {
        if (e.Type != MessageType.Track || e.Name is null || !catalog.ByEvent.TryGetValue(e.Name, out var segments))
            return false;

        var changed = false;
        // One bit per group of shared tallies: the event is read and counted once for the whole group.
        ulong readGroups = 0, countedGroups = 0;
        foreach (var segment in segments)
        {
            // The build counts events up to its boundary, the grains the later ones: each event exactly once.
            if (e.Sequence <= segment.BuildThrough || segment.BuildThrough <= newerThan)
                continue;
            foreach (var condition in segment.Tallied)
            {
                if (condition.Event != e.Name)
                    continue;
                // A tally of its own has no bit: it always reads the event.
                var group = _sharedGroups == 0 ? 0 : SharedGroupOf(condition.TallyKey);
                var bit = group == 0 ? 0 : 1UL << group;
                if ((readGroups & bit) == 0)
                {
                    readGroups |= bit;
                    if (!condition.TryRead(e, out var value))
                        continue;
                    countedGroups |= bit;
                    Tally(condition.TallyKey).Add(condition.Window, e.Timestamp, value, now);
                }
                else if ((countedGroups & bit) == 0)
                {
                    continue;
                }
                else
                {
                    // Another segment's condition of the group counted it into the same tally.
                    Tally(condition.TallyKey);
                }
                changed = true;
                affected.Add(segment.Id);
            }
        }
        return changed;
    }

    /// <summary>Adds a merged-away profile's tallies to this one's (their events are disjoint).</summary>
    public void Absorb(IEnumerable<(string Key, string Tally)> tallies)
    {
        // Each key gets the other profile's events once: shared tallies part before, and share again once equal.
        StopSharing();
        foreach (var (key, text) in tallies)
            Tally(key).Absorb(TallyText.Read(text));
        _sharingDue = true;
    }

    /// <summary>Segment versions that finished building since this grain last looked: their built parts must be read.</summary>
    public IReadOnlyList<CompiledSegment> Unconfirmed(WorkspaceSegments catalog) =>
        catalog.InOrder.Where(s => s.IsReady && !IsConfirmed(s)).ToList();

    /// <summary>Takes in what a finished build wrote for this profile.</summary>
    public void Confirm(CompiledSegment segment, IReadOnlyList<TallyRow> rows, SegmentMembership? membership)
    {
        foreach (var row in rows.Where(r => r.Key != ProfileSegmentState.LiveTalliesKey && r.Built is not null))
            TakeBuilt(row.Key, row.Built!, confirmed: true);
        if (membership is not null)
            _memberships[segment.Id] = Membership.From(membership);
        else
            _memberships.Remove(segment.Id);
        (_confirmedLater ??= new(StringComparer.Ordinal)).Add(segment.TallyPrefix);
        _sharingDue = true;
    }

    /// <summary>
    /// Re-evaluates the ready segments in <paramref name="candidates"/> (all of them on the first call after
    /// loading, and any that read a segment whose membership changed) and returns the membership changes.
    /// </summary>
    public IReadOnlyList<SegmentChange> Evaluate(Profile profile, WorkspaceSegments catalog, IReadOnlySet<string> candidates, DateTimeOffset now)
    {
        var all = !_evaluatedAll;
        _evaluatedAll = true;
        if (_sharingDue)
            ShareEqualTallies(catalog, now);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        var changes = new List<SegmentChange>();
        foreach (var segment in catalog.InOrder)
        {
            if (!segment.IsReady || !IsConfirmed(segment))
                continue;
            if (!all && !candidates.Contains(segment.Id) && !segment.ReadsSegments.Overlaps(changed))
                continue;

            var verdict = SegmentEvaluator.Evaluate(segment.Condition, new Facts(this, profile, segment.TallyPrefix), now);
            if (verdict.ValidUntil is { } until)
                (_validUntil ??= new(StringComparer.Ordinal))[segment.Id] = until;
            else
                _validUntil?.Remove(segment.Id);

            var current = _memberships.GetValueOrDefault(segment.Id);
            if (verdict.IsMember == current.IsMember)
                continue;

            var next = new Membership(verdict.IsMember, now, current.Changes + 1);
            _memberships[segment.Id] = next;
            (_changedMemberships ??= new(StringComparer.Ordinal)).Add(segment.Id);
            changed.Add(segment.Id);
            changes.Add(new SegmentChange(segment, next.Of(segment.Id, _profileId)));
        }
        return changes;
    }

    /// <summary>Ends every membership without events: the profile was merged into another, which evaluates for itself.</summary>
    public void LeaveAll(DateTimeOffset now)
    {
        foreach (var (id, membership) in _memberships.Where(m => m.Value.IsMember).ToList())
        {
            _memberships[id] = new Membership(false, now, membership.Changes + 1);
            (_changedMemberships ??= new(StringComparer.Ordinal)).Add(id);
        }
        _validUntil = null;
    }

    /// <summary>Every tally in its stored form, built parts included (for a merge).</summary>
    public IReadOnlyList<(string Key, string Tally)> AllTallies() =>
        _tallies.Select(t => (t.Key, TallyText.Write(Combined(t.Key, t.Value.Live)))).ToList();

    /// <summary>What changed since the last call, pruned of events that can no longer count; null when nothing did.</summary>
    public SegmentStateChanges? TakeChanges(WorkspaceSegments catalog, DateTimeOffset now)
    {
        var changed = false;
        foreach (var key in _tallies.Keys)
        {
            // Changing a value in place does not disturb the enumeration of the keys.
            ref var state = ref CollectionsMarshal.GetValueRefOrNullRef(_tallies, key);
            if (!catalog.TryGetTally(key, out _, out var condition))
            {
                // A deleted segment or an earlier version.
                (_droppedTallies ??= new(StringComparer.Ordinal)).Add(key);
                continue;
            }

            if (state.BuildRowFolded)
            {
                // The build's part is in the grain's tallies now: its own row goes with this save.
                (_droppedTallies ??= new(StringComparer.Ordinal)).Add(key);
                state.BuildRowFolded = false;
            }
            if (!state.Dirty)
                continue;
            state.Live.Prune(condition.Window, now);
            state.Dirty = false;
            changed = true;
        }
        foreach (var key in (_droppedTallies ?? []).Where(k => !catalog.TryGetTally(k, out _, out _)))
        {
            changed |= !_tallies[key].Live.IsEmpty;
            _tallies.Remove(key);
        }

        var wakeUp = _validUntil is not { Count: > 0 } validUntil ? (DateTimeOffset?)null : validUntil.Values.Min();
        var changes = new SegmentStateChanges(
            _profileId,
            _changedMemberships?.Select(id => _memberships[id].Of(id, _profileId)).ToList() ?? [],
            // One row for all of them: a save writes one row however many conditions the events touched.
            changed ? TallyText.WriteAll(_tallies.Where(t => !t.Value.Live.IsEmpty).Select(t => KeyValuePair.Create(t.Key, t.Value.Live))) : null,
            _droppedTallies?.ToList() ?? [],
            wakeUp,
            wakeUp != _storedWakeUp);
        _changedMemberships = null;
        _droppedTallies = null;
        _storedWakeUp = wakeUp;
        return changes.IsEmpty ? null : changes;
    }

    /// <summary>True when this grain holds what the segment version's build wrote for the profile.</summary>
    private bool IsConfirmed(CompiledSegment segment) =>
        _loadedWith.ById.TryGetValue(segment.Id, out var loaded) && loaded.IsReady && loaded.Version == segment.Version
        || _confirmedLater?.Contains(segment.TallyPrefix) == true;

    /// <summary>The tally's state, added when missing; valid until the next change to the set of tallies.</summary>
    private ref TallyState State(string key)
    {
        ref var state = ref CollectionsMarshal.GetValueRefOrAddDefault(_tallies, key, out var exists);
        if (!exists)
            state.Live = new EventTally();
        return ref state;
    }

    private EventTally Tally(string key)
    {
        ref var state = ref State(key);
        state.Dirty = true;
        return state.Live;
    }

    /// <summary>
    /// Takes in the part a build counted: folded into the grain's tally at once when the build is done (its text
    /// is not kept, and its row is deleted with the next save), kept aside while the segment is still building.
    /// </summary>
    private void TakeBuilt(string key, string built, bool confirmed)
    {
        ref var state = ref State(key);
        if (!confirmed)
        {
            (_builtParts ??= new(StringComparer.Ordinal))[key] = built;
            return;
        }
        state.Live.Absorb(TallyText.Read(built));
        _builtParts?.Remove(key);
        state.BuildRowFolded = true;
        state.Dirty = true;
    }

    private EventTally Combined(string key, EventTally live)
    {
        if (_builtParts is null || !_builtParts.TryGetValue(key, out var built))
            return live;
        var combined = live.Copy();
        combined.Absorb(TallyText.Read(built));
        return combined;
    }

    private int SharedGroupOf(string key)
    {
        ref var state = ref CollectionsMarshal.GetValueRefOrNullRef(_tallies, key);
        return Unsafe.IsNullRef(ref state) ? 0 : state.SharedGroup;
    }

    /// <summary>
    /// Lets the tallies of confirmed segments that count the same events (<see cref="TalliedCondition.Counts"/>) and
    /// hold the same ones be one object: segments that differ only in a threshold (spending tiers, "viewed 3 / 4 / 5
    /// times") then keep one tally per profile instead of one each. <see cref="Fold"/> counts an event once per group.
    /// </summary>
    private void ShareEqualTallies(WorkspaceSegments catalog, DateTimeOffset now)
    {
        _sharingDue = false;
        if (_tallies.Count < 2)
            return;
        Dictionary<string, (EventTally Tally, byte Group)>? byCounts = null;
        foreach (var key in _tallies.Keys)
        {
            ref var state = ref CollectionsMarshal.GetValueRefOrNullRef(_tallies, key);
            if (_builtParts?.ContainsKey(key) == true || !catalog.TryGetTally(key, out var segment, out var condition) || !IsConfirmed(segment))
                continue;

            // Entries that have left a rolling window count for nobody; a tally pruned at another moment still has them.
            state.Live.Prune(condition.Window, now);
            byCounts ??= new(StringComparer.Ordinal);
            ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(byCounts, condition.Counts, out var exists);
            if (!exists)
            {
                first = (state.Live, state.SharedGroup);
                continue;
            }
            if (ReferenceEquals(first.Tally, state.Live) || state.SharedGroup != 0 || !first.Tally.HoldsSameAs(state.Live))
                continue;
            if (first.Group == 0)
            {
                if (_sharedGroups == MaxSharedGroups)
                    continue;
                first.Group = ++_sharedGroups;
                MarkShared(first.Tally, first.Group);
            }
            state.Live = first.Tally;
            state.SharedGroup = first.Group;
        }
    }

    /// <summary>Puts the tallies holding this object in the group (the first of a group is seen before the group has a number).</summary>
    private void MarkShared(EventTally tally, byte group)
    {
        foreach (var key in _tallies.Keys)
        {
            ref var state = ref CollectionsMarshal.GetValueRefOrNullRef(_tallies, key);
            if (ReferenceEquals(state.Live, tally))
                state.SharedGroup = group;
        }
    }

    /// <summary>Gives every shared tally an object of its own again.</summary>
    private void StopSharing()
    {
        foreach (var key in _tallies.Keys)
        {
            ref var state = ref CollectionsMarshal.GetValueRefOrNullRef(_tallies, key);
            if (state.SharedGroup == 0)
                continue;
            state.Live = state.Live.Copy();
            state.SharedGroup = 0;
        }
        _sharedGroups = 0;
    }

    /// <summary>A membership as the grain keeps it: the segment is the key, the profile is the grain's (a struct, no object each).</summary>
    /// <remarks>16 bytes: the time as UTC ticks and the change count as an int (a profile never changes a segment 2^31 times).</remarks>
    private readonly struct Membership(bool isMember, DateTimeOffset changedAt, long changes)
    {
        private readonly long _changedAtTicks = changedAt.UtcTicks;
        private readonly int _changes = checked((int)changes);

        public bool IsMember { get; } = isMember;
        public DateTimeOffset ChangedAt => new(_changedAtTicks, TimeSpan.Zero);
        public long Changes => _changes;

        public static Membership From(SegmentMembership stored) => new(stored.IsMember, stored.ChangedAt, stored.Changes);

        public SegmentMembership Of(string segmentId, string profileId) => new(segmentId, profileId, IsMember, ChangedAt, Changes);
    }

    /// <summary>A struct in the table, not an object of its own: a million awake profiles hold about ten each.</summary>
    private struct TallyState
    {
        /// <summary>True when a build's row was folded into <see cref="Live"/> and is still in the store.</summary>
        public bool BuildRowFolded;

        public bool Dirty;

        /// <summary>0 when the tally is its own; otherwise the tallies with the same number are one object (<see cref="ShareEqualTallies"/>).</summary>
        public byte SharedGroup;

        public EventTally Live;
    }

    /// <summary>What the evaluator may know while it answers one segment.</summary>
    private sealed class Facts(ProfileSegments owner, Profile profile, string tallyPrefix) : ISegmentFacts
    {
        public Profile Profile => profile;

        public EventTally Tally(string conditionKey)
        {
            var key = tallyPrefix + conditionKey;
            return owner._tallies.TryGetValue(key, out var state) ? owner.Combined(key, state.Live) : new EventTally();
        }

        public bool IsInList(string listId) => profile.Lists.ContainsKey(listId);

        public bool IsInSegment(string segmentId) => owner.IsMember(segmentId);
    }
}
