using System.Diagnostics;

namespace Nudge.Server.Tests.Support;

/// <summary>
/// Waits for asynchronous work (profiles are updated after the ack) by observing its effect, with a bound.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Reads until <paramref name="done"/> holds and returns that reading; after the timeout returns the last
    /// reading anyway, so the caller's assertions say what was wrong.
    /// </summary>
    public static async Task<T> ReadUntilAsync<T>(
        Func<CancellationToken, Task<T>> read, Func<T, bool> done, CancellationToken ct, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (true)
        {
            var value = await read(ct);
            if (done(value) || clock.Elapsed >= limit)
                return value;
            await Task.Delay(PollEvery, ct);
        }
    }
}
