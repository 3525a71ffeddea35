namespace Nudge.Server.Connectors;

/// <summary>Wakes the connector worker when a delivery was stored, so it need not wait for its next poll.</summary>
public sealed class ConnectorSignal
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Notify()
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers every delivery stored before the worker looks.
        }
    }

    /// <summary>Waits until notified or until <paramref name="timeout"/> has passed.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _pending.WaitAsync(timeout, ct);
}
