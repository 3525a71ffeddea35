namespace Nudge.Core.Segments;

/// <summary>
/// One profile's running state for one <see cref="EventCondition"/> or <see cref="AggregateCondition"/>: what
/// <see cref="SegmentEvaluator"/> needs of the matching events, kept by the engine event by event so that an
/// evaluation never reads the history.
/// </summary>
/// <remarks>
/// A tally belongs to one condition node and so to one <see cref="TimeWindow"/>. For <c>ever</c> and fixed windows
/// only <see cref="Count"/> and <see cref="Sum"/> are kept, since time cannot move an event in or out of them. For
/// rolling windows every event that can still count is kept in <see cref="Recent"/>, because each one leaves the
/// window at its own moment. Mutable on purpose: it is updated on the hot path, once per matching event.
/// </remarks>
public sealed class EventTally
{
    // Null until a rolling window keeps an event: most tallies (ever, fixed windows) never need it. Ascending by time;
    // the first _recentCount slots are in use. An array of its own rather than a List: a million awake profiles hold
    // a few each, and the list object would add 32 bytes to every one.
    private TallyEntry[]? _recent;
    private int _recentCount;

    /// <summary>Creates an empty tally.</summary>
    public EventTally()
    {
    }

    private EventTally(long count, decimal sum, TallyEntry[] recent)
    {
        Count = count;
        Sum = sum;
        if (recent.Length > 0)
            (_recent, _recentCount) = (recent, recent.Length);
    }

    /// <summary>Events counted for <c>ever</c> and fixed windows (only those inside the window).</summary>
    public long Count { get; private set; }

    /// <summary>The sum of the values of the events in <see cref="Count"/>.</summary>
    public decimal Sum { get; private set; }

    /// <summary>For rolling windows: the events that can still count, ascending by time.</summary>
    public ReadOnlySpan<TallyEntry> Recent => _recent.AsSpan(0, _recentCount);

    /// <summary>True when no event has been counted.</summary>
    public bool IsEmpty => Count == 0 && _recentCount == 0;

    /// <summary>Rebuilds a tally from what the store kept.</summary>
    public static EventTally Restore(long count, decimal sum, IEnumerable<TallyEntry> recent)
    {
        ArgumentNullException.ThrowIfNull(recent);
        ArgumentOutOfRangeException.ThrowIfNegative(count);

        var entries = recent.ToArray();
        if (!IsAscending(entries))
            Array.Sort(entries, static (a, b) => a.At.CompareTo(b.At));
        return new EventTally(count, sum, entries);
    }

    /// <summary>
    /// Counts one matching event at <paramref name="at"/> with <paramref name="value"/> (1 for event conditions and
    /// counts), as seen at <paramref name="now"/>. An event outside a fixed window, or at or before
    /// <c>now - Last</c> for a rolling one, is left out: it can never count, since <c>now</c> only grows.
    /// </summary>
    public void Add(TimeWindow window, DateTimeOffset at, decimal value, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(window);

        if (window.Last is { } last)
        {
            if (at <= Cutoff(now, last))
                return;
            Insert(new TallyEntry(at, value));
            return;
        }

        if (window.Since is { } since && at < since)
            return;
        if (window.Until is { } until && at >= until)
            return;
        Count++;
        Sum = SaturatingAdd(Sum, value);
    }

    /// <summary>Drops the entries of a rolling window that have left it at <paramref name="now"/>; a no-op for other windows.</summary>
    public void Prune(TimeWindow window, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (window.Last is not { } last || _recent is null)
            return;

        var gone = FirstInWindow(Recent, Cutoff(now, last));
        if (gone == _recentCount)
        {
            (_recent, _recentCount) = (null, 0);
            return;
        }
        if (gone == 0)
            return;
        _recentCount -= gone;
        if (_recentCount <= _recent.Length / 4)
            _recent = _recent.AsSpan(gone, _recentCount).ToArray();
        else
            Array.Copy(_recent, gone, _recent, 0, _recentCount);
    }

    /// <summary>
    /// Adds the events of another tally of the same condition whose history is disjoint from this one's (a merged
    /// profile, or a background build of the past joined with the live events).
    /// </summary>
    public void Absorb(EventTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
            throw new ArgumentException("A tally cannot absorb itself.", nameof(other));

        Count += other.Count;
        Sum = SaturatingAdd(Sum, other.Sum);
        if (other._recentCount == 0)
            return;

        var ours = Recent;
        var theirs = other.Recent;
        var merged = new TallyEntry[ours.Length + theirs.Length];
        int i = 0, j = 0, k = 0;
        while (i < ours.Length && j < theirs.Length)
            merged[k++] = ours[i].At <= theirs[j].At ? ours[i++] : theirs[j++];
        ours[i..].CopyTo(merged.AsSpan(k));
        theirs[j..].CopyTo(merged.AsSpan(k + ours.Length - i));
        (_recent, _recentCount) = (merged, merged.Length);
    }

    /// <summary>A tally of its own with the same events.</summary>
    public EventTally Copy() => new(Count, Sum, Recent.ToArray());

    /// <summary>True when both tallies hold the same events: same count and sum, same entries in the same order.</summary>
    public bool HoldsSameAs(EventTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Count == other.Count && Sum == other.Sum && Recent.SequenceEqual(other.Recent);
    }

    /// <summary>The instant at or before which a rolling window's events no longer count.</summary>
    internal static DateTimeOffset Cutoff(DateTimeOffset now, TimeSpan last) =>
        now - DateTimeOffset.MinValue < last ? DateTimeOffset.MinValue : now - last;

    /// <summary>The index of the first entry after <paramref name="cutoff"/> (entries ascending), by binary search.</summary>
    internal static int FirstInWindow(ReadOnlySpan<TallyEntry> entries, DateTimeOffset cutoff)
    {
        int low = 0, high = entries.Length;
        while (low < high)
        {
            var mid = low + ((high - low) >> 1);
            if (entries[mid].At <= cutoff)
                low = mid + 1;
            else
                high = mid;
        }
        return low;
    }

    /// <summary>
    /// Adds without throwing: a sum beyond decimal's range (only reachable with absurd event values) stays at the
    /// bound instead of failing the profile's whole evaluation.
    /// </summary>
    internal static decimal SaturatingAdd(decimal a, decimal b)
    {
        try
        {
            return a + b;
        }
        catch (OverflowException)
        {
            return b > 0 ? decimal.MaxValue : decimal.MinValue;
        }
    }

    // Events mostly arrive in time order, so the insert is usually an append.
    private void Insert(TallyEntry entry)
    {
        if (_recent is null)
            _recent = new TallyEntry[2];
        else if (_recentCount == _recent.Length)
            Array.Resize(ref _recent, _recent.Length * 2);

        var at = _recentCount == 0 || _recent[_recentCount - 1].At <= entry.At ? _recentCount : FirstInWindow(Recent, entry.At);
        Array.Copy(_recent, at, _recent, at + 1, _recentCount - at);
        _recent[at] = entry;
        _recentCount++;
    }

    private static bool IsAscending(TallyEntry[] entries)
    {
        for (var i = 1; i < entries.Length; i++)
        {
            if (entries[i - 1].At > entries[i].At)
                return false;
        }
        return true;
    }
}

/// <summary>One counted event of a rolling window: when it happened and the value it adds.</summary>
/// <remarks>24 bytes: the time is kept as UTC ticks (a <see cref="DateTimeOffset"/> field takes 16 with its offset and padding).</remarks>
public readonly record struct TallyEntry
{
    private readonly long _utcTicks;

    public TallyEntry(DateTimeOffset at, decimal value)
    {
        _utcTicks = at.UtcTicks;
        Value = value;
    }

    public DateTimeOffset At => new(_utcTicks, TimeSpan.Zero);

    public decimal Value { get; }
}
