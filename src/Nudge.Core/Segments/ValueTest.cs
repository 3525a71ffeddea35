using System.Collections.Immutable;
using System.Text.Json;

namespace Nudge.Core.Segments;

/// <summary>
/// One comparison applied to a value: the operator and its operands, already checked by the reader
/// (e.g. <c>between</c> has exactly two, <c>withinLast</c> has <see cref="Days"/>).
/// </summary>
/// <param name="Operator">What to check.</param>
/// <param name="Values">The operands: one for most operators, the list for <c>in</c>/<c>notIn</c>, low and high for <c>between</c>, none for <c>isSet</c>/<c>notSet</c> and the day-based operators.</param>
/// <param name="Days">N for <c>withinLast</c>, <c>moreThanDaysAgo</c> and <c>anniversaryWithin</c>.</param>
public sealed record ValueTest(ValueOperator Operator, ImmutableArray<JsonElement> Values, int Days = 0);

public enum ValueOperator
{
    Equals,
    NotEquals,
    Contains,
    StartsWith,
    In,
    NotIn,
    GreaterThan,
    GreaterOrEqual,
    LessThan,
    LessOrEqual,
    Between,
    IsSet,
    NotSet,

    /// <summary>A date before the operand date.</summary>
    Before,

    /// <summary>A date after the operand date.</summary>
    After,

    /// <summary>A date between <c>now - Days</c> and now.</summary>
    WithinLast,

    /// <summary>A date earlier than <c>now - Days</c> (e.g. last email opened more than 90 days ago).</summary>
    MoreThanDaysAgo,

    /// <summary>The date's next anniversary (month and day, in the person's time zone) is within <c>Days</c> days, today included.</summary>
    AnniversaryWithin,
}
