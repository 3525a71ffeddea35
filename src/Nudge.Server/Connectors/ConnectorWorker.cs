namespace Nudge.Server.Connectors;

/// <summary>Processes stored webhook deliveries in the background (placeholder until the mapping lands).</summary>
public sealed class ConnectorWorker;
