namespace Nudge.Storage.Events;

/// <summary>Wakes the partition readers of this process when the writer has committed new events.</summary>
public sealed class LogSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next commit, or after <paramref name="timeout"/> (readers also poll, for other writers).</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        var next = Volatile.Read(ref _next).Task;
        try
        {
            await next.WaitAsync(timeout, time, ct);
        }
        catch (TimeoutException)
        {
        }
    }
}
