namespace Nudge.Core.Profiles;

/// <summary>Traits Nudge derives from behaviour, kept current on every event.</summary>
public sealed record ComputedTraits
{
    public DateTimeOffset? FirstSeen { get; init; }
    public DateTimeOffset? LastSeen { get; init; }
    public long EventCount { get; init; }
    public int OrderCount { get; init; }
    public decimal TotalRevenue { get; init; }
    public decimal AverageOrderValue => OrderCount == 0 ? 0 : Math.Round(TotalRevenue / OrderCount, 2);
    public DateTimeOffset? FirstOrderDate { get; init; }
    public DateTimeOffset? LastOrderDate { get; init; }
    public string? Currency { get; init; }
    public ProductSeen? LastProductViewed { get; init; }
    public ProductSeen? LastProductAdded { get; init; }
}

/// <summary>A product a person looked at or carted, and when.</summary>
public sealed record ProductSeen(string? ProductId, string? Name, DateTimeOffset At);
