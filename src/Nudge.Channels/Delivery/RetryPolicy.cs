namespace Nudge.Channels.Delivery;

/// <summary>
/// When to try a temporarily failed message again: exponential backoff from <see cref="FirstDelay"/>, doubling per
/// attempt up to <see cref="MaxDelay"/>, spread by ±<see cref="Jitter"/> so that a burst of failures (a provider's
/// outage) does not come back as one burst; after <see cref="MaxAttempts"/> attempts the message has failed.
/// </summary>
/// <remarks>Pure: the caller hands in the time and the random draw, so the schedule is testable in simulated time.</remarks>
public sealed record RetryPolicy
{
    /// <summary>Attempts in all, the first one included.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>The wait after the first failed attempt.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromHours(4);

    /// <summary>How far a wait may stray from the exponential schedule, as a fraction of it (0.2: ±20 %).</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>
    /// What to do after attempt number <paramref name="attempts"/> (1 for the first) failed temporarily at
    /// <paramref name="now"/>.
    /// </summary>
    /// <param name="attempts">Attempts made so far, the failed one included.</param>
    /// <param name="now">When it failed.</param>
    /// <param name="random">A draw in [0, 1) that places the wait within the jitter band.</param>
    /// <param name="retryAfter">How long the provider asked us to wait, if it did: never retried earlier than that.</param>
    public RetryDecision AfterFailure(int attempts, DateTimeOffset now, double random, TimeSpan? retryAfter = null)
    {
        if (attempts >= MaxAttempts)
            return RetryDecision.GiveUp;

        var exponent = Math.Min(Math.Max(attempts - 1, 0), 30);
        var planned = Math.Min(FirstDelay.TotalMilliseconds * Math.Pow(2, exponent), MaxDelay.TotalMilliseconds);
        var spread = 1 + Jitter * (2 * Math.Clamp(random, 0, 1) - 1);
        var wait = TimeSpan.FromMilliseconds(Math.Round(planned * spread));
        if (retryAfter is { } asked && asked > wait)
            wait = asked;
        return RetryDecision.RetryAt(now + wait);
    }
}

/// <summary>Try again at a time, or give up.</summary>
/// <param name="At">When to try again; null when the message has failed for good.</param>
public readonly record struct RetryDecision(DateTimeOffset? At)
{
    /// <summary>No attempts left.</summary>
    public static RetryDecision GiveUp => default;

    /// <summary>Try again at <paramref name="at"/>.</summary>
    public static RetryDecision RetryAt(DateTimeOffset at) => new(at);

    /// <summary>True when the message is to be tried again.</summary>
    public bool Retries => At is not null;
}
