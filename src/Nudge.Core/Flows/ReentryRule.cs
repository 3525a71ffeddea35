namespace Nudge.Core.Flows;

/// <summary>
/// How often one profile may go through a flow. Whatever the rule, a profile has at most one active run per flow:
/// a trigger during an active run starts nothing.
/// </summary>
/// <param name="Mode">Once ever, every time, or once per period.</param>
/// <param name="Period">For <see cref="ReentryMode.OncePer"/>: how long after a run's start the next may start.</param>
public sealed record ReentryRule(ReentryMode Mode, TimeSpan Period = default)
{
    /// <summary>The default: a profile goes through the flow once.</summary>
    public static ReentryRule Once { get; } = new(ReentryMode.Once);

    /// <summary>True when a new run may start at <paramref name="now"/>.</summary>
    /// <param name="lastStart">When the profile's latest run of this flow started, or null when it never ran.</param>
    /// <param name="hasActiveRun">Whether a run of this flow is still going for the profile.</param>
    /// <param name="now">The moment of the trigger.</param>
    public bool Allows(DateTimeOffset? lastStart, bool hasActiveRun, DateTimeOffset now) =>
        !hasActiveRun && (lastStart is not { } last || Mode switch
        {
            ReentryMode.Once => false,
            ReentryMode.EveryTime => true,
            _ => now >= last + Period,
        });
}

/// <summary>The kinds of <see cref="ReentryRule"/>.</summary>
public enum ReentryMode
{
    /// <summary>One run per profile, ever.</summary>
    Once,

    /// <summary>A new run on every trigger (when none is active).</summary>
    EveryTime,

    /// <summary>At most one run per period.</summary>
    OncePer,
}
