using Microsoft.Extensions.Hosting;

namespace Nudge.Engine.Flows;

/// <summary>Loads the flow catalog at start, after migrations and before the partition readers deliver anything.</summary>
public sealed class FlowCatalogStartup(FlowCatalog catalog) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => catalog.ReloadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
