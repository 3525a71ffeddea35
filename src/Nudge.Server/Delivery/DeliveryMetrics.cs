using System.Diagnostics.Metrics;

namespace Nudge.Server.Delivery;

/// <summary>OpenTelemetry-ready counters of the <c>Nudge.Delivery</c> meter.</summary>
public sealed class DeliveryMetrics
{
    public const string MeterName = "Nudge.Delivery";

    private readonly Counter<long> _outcomes;
    private readonly Counter<long> _unrecorded;

    public DeliveryMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _outcomes = meter.CreateCounter<long>("nudge.delivery.messages", description: "Messages handed to a provider, by channel and status");
        _unrecorded = meter.CreateCounter<long>("nudge.delivery.unrecorded",
            description: "Messages found claimed but never recorded after a worker stopped; each may have reached the recipient twice");
    }

    public void Outcome(string channel, string status) =>
        _outcomes.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("status", status));

    public void Unrecorded(string channel, int count) => _unrecorded.Add(count, new KeyValuePair<string, object?>("channel", channel));
}
