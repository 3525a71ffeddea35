namespace Nudge.Storage;

/// <summary>
/// Wakes the readers of this process when a writer has committed something new for them; readers also poll, for
/// writers in other processes.
/// </summary>
public abstract class CommitSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next commit, or after <paramref name="timeout"/>.</summary>
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
