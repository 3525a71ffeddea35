namespace Nudge.Engine;

/// <summary>
/// Serializes the changes of a catalog of definitions (segments, flows) with its reloads: a change runs alone and
/// is followed by a reload, so grains never see a later change before an earlier one.
/// </summary>
/// <param name="load">Reads every definition again and publishes the new snapshot.</param>
public sealed class CatalogChanges(Func<CancellationToken, Task> load)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Runs <paramref name="change"/> alone, then reloads.</summary>
    public async Task<T> ChangeAsync<T>(Func<Task<T>> change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        await _gate.WaitAsync(ct);
        try
        {
            var result = await change();
            await load(ct);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reloads (at start, after a build finished, or to pick up another process's change).</summary>
    public Task ReloadAsync(CancellationToken ct) => ChangeAsync(() => Task.FromResult(true), ct);
}
