using System.ComponentModel.DataAnnotations;

namespace Nudge.Server.Tracking;

/// <summary>Open and click tracking and bounce handling; bound to <c>Nudge:Tracking</c>.</summary>
public sealed class TrackingOptions
{
    /// <summary>Soft bounces of one address within <see cref="SoftBounceWindow"/> that suppress it.</summary>
    [Range(1, 100)]
    public int SoftBounceLimit { get; set; } = 3;

    /// <summary>How far back soft bounces count.</summary>
    public TimeSpan SoftBounceWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Requests per second per client address to the pixel, click, view and feedback endpoints.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecondPerClient { get; set; } = 100;

    /// <summary>The largest bounce or complaint (raw MIME) accepted, in bytes.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public int MaxFeedbackBytes { get; set; } = 10 * 1024 * 1024;
}
