using Microsoft.Extensions.Time.Testing;
using Nudge.Channels.Delivery;
using Nudge.Channels.Tests.Support;

namespace Nudge.Channels.Tests.Delivery;

public sealed class RetryPolicyTests
{
    private readonly FakeTimeProvider _time = new(Some.Start);
    private readonly RetryPolicy _policy = new() { MaxAttempts = 5, FirstDelay = TimeSpan.FromMinutes(1), MaxDelay = TimeSpan.FromMinutes(10), Jitter = 0.2 };

    [Fact]
    public void Waits_double_after_each_failure_up_to_the_longest_wait()
    {
        var waits = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var next = _policy.AfterFailure(attempt, _time.GetUtcNow(), random: 0.5);
            waits.Add(next.At!.Value - _time.GetUtcNow());
            _time.SetUtcNow(next.At.Value);
        }

        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(8)], waits);
    }

    [Fact]
    public void The_longest_wait_caps_late_attempts()
    {
        var policy = _policy with { MaxAttempts = 20 };

        var next = policy.AfterFailure(12, _time.GetUtcNow(), random: 0.5);

        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(10), next.At);
    }

    [Fact]
    public void Jitter_spreads_the_wait_within_its_band()
    {
        var now = _time.GetUtcNow();

        var earliest = _policy.AfterFailure(2, now, random: 0).At!.Value - now;
        var latest = _policy.AfterFailure(2, now, random: 0.999999).At!.Value - now;

        Assert.Equal(TimeSpan.FromSeconds(96), earliest);
        Assert.Equal(TimeSpan.FromSeconds(144), latest.RoundToSeconds());
    }

    [Fact]
    public void A_message_fails_for_good_after_its_last_attempt()
    {
        var decision = _policy.AfterFailure(5, _time.GetUtcNow(), random: 0.5);

        Assert.False(decision.Retries);
    }

    [Fact]
    public void A_providers_retry_after_is_never_undercut()
    {
        var next = _policy.AfterFailure(1, _time.GetUtcNow(), random: 0.5, retryAfter: TimeSpan.FromMinutes(30));

        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(30), next.At);
    }
}

internal static class TimeSpans
{
    public static TimeSpan RoundToSeconds(this TimeSpan span) => TimeSpan.FromSeconds(Math.Round(span.TotalSeconds));
}
