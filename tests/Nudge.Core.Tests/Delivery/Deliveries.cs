using Nudge.Core.Delivery;

namespace Nudge.Core.Tests.Delivery;

/// <summary>Test data for the delivery policy: a moment, messages and the recipient's facts.</summary>
internal static class Deliveries
{
    /// <summary>Monday 2026-03-02 14:00 UTC: 15:00 in Berlin, outside every quiet hour.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);

    public static DeliveryPolicy Policy(DeliveryPolicySettings? settings = null) => new(settings ?? DeliveryPolicySettings.Default);

    public static DeliveryCandidate Message(
        string channel = DeliveryChannels.Email,
        bool transactional = false,
        int priority = 50,
        TimeSpan? smartSending = null,
        string id = "msg_1",
        DateTimeOffset? createdAt = null) =>
        new(id, "prf_ada", channel, transactional, priority, smartSending, createdAt ?? Now.AddMinutes(-5));

    public static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);
}
