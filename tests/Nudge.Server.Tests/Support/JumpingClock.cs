namespace Nudge.Server.Tests.Support;

/// <summary>
/// Simulated time for a whole server: the clock runs like the real one (short sleeps and polls inside the server
/// keep working) and the test makes it jump ahead, so a wait of an hour is over at once.
/// </summary>
public sealed class JumpingClock : TimeProvider
{
    private long _aheadTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _aheadTicks));

    /// <summary>Moves the clock ahead by <paramref name="by"/>.</summary>
    public void Jump(TimeSpan by) => Interlocked.Add(ref _aheadTicks, by.Ticks);
}
