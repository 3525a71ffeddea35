using System.Collections.Frozen;
using System.Text.Json;

namespace Nudge.Core.Commerce;

/// <summary>Reads the properties of a track event into the typed e-commerce event its name stands for.</summary>
public static partial class CommerceEventParser
{
    // Longer than any spec name; a longer event name cannot be one of ours.
    private const int MaxKeyLength = 64;

    private static readonly FrozenDictionary<string, Func<Properties, CommerceEvent>> _readers =
        new Dictionary<string, Func<Properties, CommerceEvent>>
        {
            ["Products Searched"] = p => new ProductsSearched { Query = p.Text("query") },
            ["Product List Viewed"] = p => new ProductListViewed
            {
                ListId = p.Text("list_id"),
                Category = p.Text("category"),
                Products = p.Products(),
            },
            ["Product Viewed"] = p => new ProductViewed { Product = p.Product(), Currency = p.Currency() },
            ["Product Added"] = p => new ProductAdded { CartId = p.Text("cart_id"), Product = p.Product() },
            ["Product Removed"] = p => new ProductRemoved { CartId = p.Text("cart_id"), Product = p.Product() },
            ["Cart Viewed"] = p => new CartViewed { CartId = p.Text("cart_id"), Products = p.Products() },
            ["Checkout Started"] = Order<CheckoutStarted>,
            ["Checkout Step Completed"] = Step<CheckoutStepCompleted>,
            ["Payment Info Entered"] = Step<PaymentInfoEntered>,
            ["Order Completed"] = Order<OrderCompleted>,
            ["Order Refunded"] = Order<OrderRefunded>,
            ["Order Cancelled"] = Order<OrderCancelled>,
            ["Coupon Applied"] = p => new CouponApplied
            {
                OrderId = p.Text("order_id"),
                CartId = p.Text("cart_id"),
                CouponId = p.Text("coupon_id"),
                CouponName = p.Text("coupon_name"),
                Discount = p.Number("discount"),
            },
            ["Product Added to Wishlist"] = p => new ProductAddedToWishlist
            {
                WishlistId = p.Text("wishlist_id"),
                WishlistName = p.Text("wishlist_name"),
                Product = p.Product(),
            },
            ["Product Reviewed"] = p => new ProductReviewed
            {
                ProductId = p.Text("product_id", "id"),
                ReviewId = p.Text("review_id"),
                ReviewBody = p.Text("review_body"),
                Rating = p.Number("rating"),
            },
        }.ToFrozenDictionary(entry => Key(entry.Key), entry => entry.Value, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, Func<Properties, CommerceEvent>>.AlternateLookup<ReadOnlySpan<char>> _byKey =
        _readers.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Reads <paramref name="properties"/> as the e-commerce event named <paramref name="eventName"/>.
    /// </summary>
    /// <param name="eventName">
    /// The track event's name. Case, spaces, underscores and hyphens are ignored, so <c>Order Completed</c>,
    /// <c>order_completed</c> and <c>OrderCompleted</c> are the same event.
    /// </param>
    /// <param name="properties">The event's properties; anything but an object reads as no properties.</param>
    /// <returns>The typed event, or null when the name is not one of the spec events this type knows.</returns>
    public static CommerceEvent? Parse(string eventName, JsonElement properties)
    {
        ArgumentNullException.ThrowIfNull(eventName);

        Span<char> key = stackalloc char[MaxKeyLength];
        var length = 0;
        foreach (var c in eventName)
        {
            if (!char.IsAsciiLetterOrDigit(c))
                continue;
            if (length == key.Length)
                return null;
            key[length++] = char.ToLowerInvariant(c);
        }

        return _byKey.TryGetValue(key[..length], out var read) ? read(new Properties(properties)) : null;
    }

    private static string Key(string eventName) =>
        string.Concat(eventName.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant));

    private static T Order<T>(Properties p) where T : OrderEvent, new() => new()
    {
        OrderId = p.Text("order_id"),
        CheckoutId = p.Text("checkout_id"),
        Affiliation = p.Text("affiliation"),
        Total = p.Number("total"),
        Subtotal = p.Number("subtotal"),
        Revenue = p.Number("revenue"),
        Shipping = p.Number("shipping"),
        Tax = p.Number("tax"),
        Discount = p.Number("discount"),
        Coupon = p.Text("coupon"),
        Currency = p.Currency(),
        Products = p.Products(),
    };

    private static T Step<T>(Properties p) where T : CheckoutStepEvent, new() => new()
    {
        CheckoutId = p.Text("checkout_id"),
        OrderId = p.Text("order_id"),
        Step = p.WholeNumber("step"),
        ShippingMethod = p.Text("shipping_method"),
        PaymentMethod = p.Text("payment_method"),
    };
}
