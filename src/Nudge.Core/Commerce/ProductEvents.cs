namespace Nudge.Core.Commerce;

/// <summary>The shopper viewed a product's details (<c>Product Viewed</c>).</summary>
public sealed record ProductViewed : CommerceEvent
{
    /// <summary>The product viewed.</summary>
    public Product Product { get; init; } = new();

    /// <summary>Upper-case ISO 4217 code of the product's price, or null.</summary>
    public string? Currency { get; init; }
}

/// <summary>The shopper added a product to a wishlist (<c>Product Added to Wishlist</c>).</summary>
public sealed record ProductAddedToWishlist : CommerceEvent
{
    /// <summary>The wishlist's id.</summary>
    public string? WishlistId { get; init; }

    /// <summary>The wishlist's name.</summary>
    public string? WishlistName { get; init; }

    /// <summary>The product added.</summary>
    public Product Product { get; init; } = new();
}

/// <summary>The shopper reviewed a product (<c>Product Reviewed</c>).</summary>
public sealed record ProductReviewed : CommerceEvent
{
    /// <summary>The product reviewed.</summary>
    public string? ProductId { get; init; }

    /// <summary>The review's id.</summary>
    public string? ReviewId { get; init; }

    /// <summary>The review's text.</summary>
    public string? ReviewBody { get; init; }

    /// <summary>The rating given, on the shop's own scale.</summary>
    public decimal? Rating { get; init; }
}
