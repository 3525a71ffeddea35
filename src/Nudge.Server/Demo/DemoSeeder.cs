using System.Text.Json;
using Microsoft.Extensions.Options;
using Nudge.Core.Ingestion;
using Nudge.Server.Hosting;
using Nudge.Storage.Events;
using Nudge.Storage.Keys;

namespace Nudge.Server.Demo;

/// <summary>
/// Fills an empty demo workspace with the demo shop's six months of behaviour, through the same event log
/// the tracking API writes to, so profiles, timelines and everything later see it like real traffic.
/// Runs in the background: Nudge answers while the demo data arrives. Completion is recorded on the
/// workspace; a start after an interrupted seeding sends everything again, and the log drops what it has
/// (the demo's message ids are deterministic).
/// </summary>
public sealed partial class DemoSeeder(
    EventLog log,
    KeyStore workspaces,
    TimeProvider time,
    IOptions<NudgeOptions> options,
    ILogger<DemoSeeder> logger) : BackgroundService
{
    private const int Seed = 42;
    private const int BatchSize = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Demo || (await workspaces.FindWorkspaceAsync(DemoWorkspace.Id, stoppingToken))?.DemoSeededAt is not null)
            return;

        var now = time.GetUtcNow();
        var shop = DemoShop.Generate(Seed, now, options.Value.DemoCustomers);
        Log.Seeding(logger, shop.Customers.Count, shop.Products.Count);
        var batch = new List<EventToAppend>(BatchSize);
        var total = 0;
        foreach (var message in shop.Messages())
        {
            var json = message.ToJsonString();
            var parsed = MessageParser.Parse(JsonDocument.Parse(json).RootElement, "", null, now, null, static () => Guid.NewGuid().ToString());
            if (parsed.Message is null)
                continue;
            batch.Add(new EventToAppend(DemoWorkspace.Id, parsed.Message, KeyKind.Server, json, options.Value.DefaultRegion));
            if (batch.Count == BatchSize)
            {
                await log.AppendAsync(batch, stoppingToken);
                total += batch.Count;
                batch = new List<EventToAppend>(BatchSize);
            }
        }

        if (batch.Count > 0)
            await log.AppendAsync(batch, stoppingToken);
        await workspaces.MarkDemoSeededAsync(DemoWorkspace.Id, stoppingToken);
        Log.Seeded(logger, total + batch.Count);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Seeding the demo shop: {Customers} customers, {Products} products, six months of events")]
        public static partial void Seeding(ILogger logger, int customers, int products);

        [LoggerMessage(Level = LogLevel.Information, Message = "Demo shop seeded: {Events} events logged; profiles follow in the background")]
        public static partial void Seeded(ILogger logger, int events);
    }
}
