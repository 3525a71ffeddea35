namespace Nudge.Storage.Catalog;

/// <summary>Wakes the catalog's signal tailer of this process when a catalog write has committed new history rows.</summary>
public sealed class CatalogSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next catalog change, or after <paramref name="timeout"/> (the tailer also polls, for other processes).</summary>
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
