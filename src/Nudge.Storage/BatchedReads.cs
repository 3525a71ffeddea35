using System.Threading.Channels;

namespace Nudge.Storage;

/// <summary>
/// Answers reads of one key each with one query for all keys asked meanwhile. Thousands of profile grains waking at
/// once (wake-ups coming due, a burst of events from new people) each want their own rows; one query for a few hundred
/// of them costs little more than one for a single one. Nothing waits to gather: a read asked while the reader is idle
/// goes at once, and those asked while a query runs go together in the next.
/// </summary>
/// <typeparam name="T">What is read per key; the default when the query did not return the key.</typeparam>
internal sealed class BatchedReads<T>(Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyDictionary<string, T>>> readMany)
{
    private const int MaxKeysPerQuery = 256;

    private readonly Channel<(string Key, TaskCompletionSource<T?> Done)> _asked =
        Channel.CreateUnbounded<(string, TaskCompletionSource<T?>)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>1 while a reader drains <see cref="_asked"/>.</summary>
    private int _reading;

    public Task<T?> ReadAsync(string key, CancellationToken ct)
    {
        var done = new TaskCompletionSource<T?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _asked.Writer.TryWrite((key, done));
        if (Interlocked.CompareExchange(ref _reading, 1, 0) == 0)
            _ = Task.Run(DrainAsync, CancellationToken.None);
        return done.Task.WaitAsync(ct);
    }

    private async Task DrainAsync()
    {
        var batch = new List<(string Key, TaskCompletionSource<T?> Done)>();
        while (true)
        {
            batch.Clear();
            while (batch.Count < MaxKeysPerQuery && _asked.Reader.TryRead(out var asked))
                batch.Add(asked);
            if (batch.Count == 0)
            {
                Volatile.Write(ref _reading, 0);
                // A read asked between the last TryRead and the reset above found the reader busy: take it on.
                if (!_asked.Reader.TryPeek(out _) || Interlocked.CompareExchange(ref _reading, 1, 0) != 0)
                    return;
                continue;
            }

            try
            {
                var found = await readMany(batch.Select(b => b.Key).Distinct(StringComparer.Ordinal).ToList(), CancellationToken.None);
                foreach (var (key, done) in batch)
                    done.TrySetResult(found.TryGetValue(key, out var value) ? value : default);
            }
            catch (Exception ex)
            {
                foreach (var (_, done) in batch)
                    done.TrySetException(ex);
            }
        }
    }
}
