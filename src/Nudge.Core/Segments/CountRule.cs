namespace Nudge.Core.Segments;

/// <summary>How many matching events an event condition asks for; "did not do" is <c>exactly 0</c>.</summary>
public sealed record CountRule(CountComparison Comparison, int N)
{
    public static CountRule AtLeastOnce { get; } = new(CountComparison.AtLeast, 1);

    public bool IsSatisfiedBy(long count) => Comparison switch
    {
        CountComparison.AtLeast => count >= N,
        CountComparison.AtMost => count <= N,
        _ => count == N,
    };
}

public enum CountComparison
{
    AtLeast,
    AtMost,
    Exactly,
}
