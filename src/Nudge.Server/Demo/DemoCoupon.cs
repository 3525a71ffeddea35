namespace Nudge.Server.Demo;

/// <summary>A percentage discount code.</summary>
internal sealed record DemoCoupon(string Code, string Name, decimal Percent)
{
    public static DemoCoupon Welcome { get; } = new("WELCOME10", "10% off your first order", 0.10m);

    public static DemoCoupon Season { get; } = new("SEASON15", "15% off the season's picks", 0.15m);

    public static DemoCoupon Loyalty { get; } = new("VIP20", "20% off for regulars", 0.20m);
}
