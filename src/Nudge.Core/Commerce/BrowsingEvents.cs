namespace Nudge.Core.Commerce;

/// <summary>The shopper searched the catalogue (<c>Products Searched</c>).</summary>
public sealed record ProductsSearched : CommerceEvent
{
    /// <summary>What the shopper searched for.</summary>
    public string? Query { get; init; }
}

/// <summary>The shopper viewed a product list or category (<c>Product List Viewed</c>).</summary>
public sealed record ProductListViewed : CommerceEvent
{
    /// <summary>The list's id.</summary>
    public string? ListId { get; init; }

    /// <summary>The category the list shows.</summary>
    public string? Category { get; init; }

    /// <summary>Products shown, in list order.</summary>
    public IReadOnlyList<Product> Products { get; init; } = [];
}
