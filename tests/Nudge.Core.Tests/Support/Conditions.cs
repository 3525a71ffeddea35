using System.Globalization;
using System.Text.Json;
using Nudge.Core.Segments;

namespace Nudge.Core.Tests.Support;

/// <summary>Condition trees for tests, built from the model records the reader would produce.</summary>
internal static class Conditions
{
    private static int _keys;

    /// <summary>A value test; operands are turned into JSON (strings, numbers, booleans).</summary>
    public static ValueTest Test(ValueOperator op, params object[] operands) =>
        new(op, [.. operands.Select(o => JsonSerializer.SerializeToElement(o))]);

    public static ValueTest Days(ValueOperator op, int days) => new(op, [], days);

    public static ProfileCondition Property(string property, ValueOperator op, params object[] operands) =>
        new(property, Test(op, operands));

    public static ProfileCondition Property(string property, ValueTest test) => new(property, test);

    public static PropertyFilter Where(string property, ValueOperator op, params object[] operands) =>
        new(property, Test(op, operands));

    public static PropertyFilter Where(string property, ValueTest test) => new(property, test);

    public static TimeWindow Last(TimeSpan span) => new(Last: span);

    public static TimeWindow Between(DateTimeOffset since, DateTimeOffset? until = null) => new(Since: since, Until: until);

    public static EventCondition Did(
        string eventName, CountComparison comparison = CountComparison.AtLeast, int n = 1, TimeWindow? window = null, params PropertyFilter[] where) =>
        new(NextKey(), eventName, [.. where], new CountRule(comparison, n), window ?? TimeWindow.Ever);

    public static EventCondition DidNot(string eventName, TimeWindow? window = null, params PropertyFilter[] where) =>
        Did(eventName, CountComparison.Exactly, 0, window, where);

    public static AggregateCondition Aggregate(
        string eventName, AggregateFunction function, string? of, ValueTest test, TimeWindow? window = null, params PropertyFilter[] where) =>
        new(NextKey(), eventName, [.. where], function, of, test, window ?? TimeWindow.Ever);

    public static AllOf All(params Condition[] conditions) => new([.. conditions]);

    public static AnyOf Any(params Condition[] conditions) => new([.. conditions]);

    /// <summary>The nodes of a tree that keep a tally.</summary>
    public static IEnumerable<Condition> EventNodes(Condition condition)
    {
        switch (condition)
        {
            case EventCondition or AggregateCondition:
                yield return condition;
                break;
            case AllOf all:
                foreach (var node in all.Conditions.SelectMany(EventNodes))
                    yield return node;
                break;
            case AnyOf any:
                foreach (var node in any.Conditions.SelectMany(EventNodes))
                    yield return node;
                break;
            case Not not:
                foreach (var node in EventNodes(not.Inner))
                    yield return node;
                break;
        }
    }

    private static string NextKey() => "n" + Interlocked.Increment(ref _keys).ToString(CultureInfo.InvariantCulture);
}
