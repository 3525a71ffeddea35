using Nudge.Storage.Catalog;
using Nudge.Storage.Events;

namespace Nudge.Server.Catalog;

/// <summary>Runs the product signals: a pass after log commits and catalog changes (at most ten a second), when a wave is due, and at least every second.</summary>
public sealed class ProductSignalsService(ProductSignals signals, LogSignal logSignal, CatalogSignal catalogSignal, TimeProvider time, ILogger<ProductSignalsService> logger)
    : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <summary>Passes are at least this far apart: under a stream of commits, one pass handles many of them.</summary>
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = Poll;
            try
            {
                await signals.RunOnceAsync(stoppingToken);
                if (await signals.NextWaveAsync(stoppingToken) is { } due)
                    wait = TimeSpan.FromTicks(Math.Clamp((due - time.GetUtcNow()).Ticks, 0, Poll.Ticks));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed pass is retried on the next; the service must not stop.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogError(ex, "Product signals pass failed; retrying");
            }
            await Task.WhenAny(logSignal.WaitAsync(wait, time, stoppingToken), catalogSignal.WaitAsync(wait, time, stoppingToken));
            try
            {
                await Task.Delay(Spacing, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
