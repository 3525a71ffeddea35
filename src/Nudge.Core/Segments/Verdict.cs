namespace Nudge.Core.Segments;

/// <summary>
/// The answer of a condition for one profile at one moment, and how long it holds: time is data, so the
/// engine schedules a wake-up at <see cref="ValidUntil"/> instead of scanning.
/// </summary>
/// <param name="IsMember">Whether the condition holds now.</param>
/// <param name="ValidUntil">
/// The earliest moment at which the passing of time alone could change the answer (null: only new events or
/// profile changes can). Never later than the real change; it may be earlier, in which case re-evaluating then
/// gives the same answer and a new moment.
/// </param>
public readonly record struct Verdict(bool IsMember, DateTimeOffset? ValidUntil)
{
    public static Verdict Always(bool isMember) => new(isMember, null);
}
