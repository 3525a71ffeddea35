using System.ComponentModel.DataAnnotations;
using Nudge.Channels.Delivery;

namespace Nudge.Server.Delivery;

/// <summary>How the delivery worker takes messages from the outbox; bound to <c>Nudge:Delivery</c>.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Messages claimed at a time.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>How often the outbox is looked at when nothing was due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a claimed message belongs to the worker that claimed it. One still claimed after that was claimed by
    /// a worker that stopped: it is logged, counted and sent again.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Attempts in all before a temporarily failing message has failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first temporary failure; it doubles with each further one.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(4);

    /// <summary>The retry policy these settings describe.</summary>
    public RetryPolicy Retry => new() { MaxAttempts = MaxAttempts, FirstDelay = FirstRetryDelay, MaxDelay = MaxRetryDelay };
}
