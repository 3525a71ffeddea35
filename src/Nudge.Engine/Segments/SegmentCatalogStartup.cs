using Microsoft.Extensions.Hosting;

namespace Nudge.Engine.Segments;

/// <summary>Loads the segment catalog at start, after migrations and before the partition readers deliver anything.</summary>
public sealed class SegmentCatalogStartup(SegmentCatalog catalog) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => catalog.ReloadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
