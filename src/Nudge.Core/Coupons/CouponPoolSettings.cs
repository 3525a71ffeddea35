namespace Nudge.Core.Coupons;

/// <summary>
/// What a shop owner sets on a pool of coupon codes: what each code gives, how long it is valid, how often it may be
/// used, when the pool counts as running low, and which shop connector its codes are published to.
/// </summary>
/// <param name="Name">The pool's name (shown in the admin and in the shop's price rule).</param>
/// <param name="Description">Free text for the team; templates see it as <c>coupon.description</c>.</param>
/// <param name="Type">Percent off, amount off or free shipping.</param>
/// <param name="Amount">The percentage (1 to 100) or the amount off; null for free shipping.</param>
/// <param name="Currency">ISO 4217 currency of a fixed amount; null otherwise.</param>
/// <param name="Validity">When assigned codes may be used.</param>
/// <param name="UsageLimit">How many orders one code may be used on (1 for personal codes).</param>
/// <param name="LowThreshold">The pool is running low (an alert) when at most this many codes are left to assign.</param>
/// <param name="ConnectorId">The shop connector its codes are pushed to; null keeps them in Nudge only.</param>
public sealed record CouponPoolSettings(
    string Name,
    string? Description,
    CouponType Type,
    decimal? Amount,
    string? Currency,
    CouponValidity Validity,
    int UsageLimit,
    int LowThreshold,
    string? ConnectorId);

/// <summary>
/// When a code may be used: from <see cref="From"/> until <see cref="Until"/> (absolute moments), and, with
/// <see cref="DaysAfterAssignment"/>, for that many days after it was given to someone. Both limits may apply; the
/// earlier end wins.
/// </summary>
public sealed record CouponValidity(DateTimeOffset? From, DateTimeOffset? Until, int? DaysAfterAssignment)
{
    /// <summary>No limit in time.</summary>
    public static CouponValidity Unlimited { get; } = new(null, null, null);

    /// <summary>When a code assigned at <paramref name="assignedAt"/> stops being valid; null for never.</summary>
    public DateTimeOffset? ExpiresAt(DateTimeOffset assignedAt)
    {
        DateTimeOffset? relative = DaysAfterAssignment is { } days ? assignedAt.AddDays(days) : null;
        return (relative, Until) switch
        {
            ({ } r, { } u) => r < u ? r : u,
            ({ } r, null) => r,
            (null, var u) => u,
        };
    }

    /// <summary>True when no code can be valid any more (the absolute end has passed).</summary>
    public bool HasEnded(DateTimeOffset now) => Until is { } until && until <= now;
}
