namespace Nudge.Core.Segments;

/// <summary>
/// Which events of the history count: all of them (<see cref="Ever"/>), those of a rolling window ending now
/// (<see cref="Last"/>), or those of fixed dates (<see cref="Since"/>, optionally up to <see cref="Until"/>).
/// </summary>
/// <param name="Last">Rolling window: events with a timestamp after <c>now - Last</c>.</param>
/// <param name="Since">Fixed window start, inclusive.</param>
/// <param name="Until">Fixed window end, exclusive.</param>
public sealed record TimeWindow(TimeSpan? Last = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null)
{
    /// <summary>The longest rolling window a definition may use; longer histories use fixed dates or <c>ever</c>.</summary>
    public static readonly TimeSpan LongestRolling = TimeSpan.FromDays(730);

    public static TimeWindow Ever { get; } = new();

    /// <summary>
    /// True when an event at <paramref name="at"/> counts, or may count later, for this window as seen at
    /// <paramref name="now"/>: a rolling window takes events after <c>now - Last</c> (an earlier one never counts
    /// again, since now only grows), a fixed window those in [Since, Until).
    /// </summary>
    public bool Admits(DateTimeOffset at, DateTimeOffset now) =>
        Last is { } last ? at > now - last : (Since is not { } since || at >= since) && (Until is not { } until || at < until);

    /// <summary>True when the passing of time alone changes which events count.</summary>
    public bool IsRolling => Last is not null;
}
