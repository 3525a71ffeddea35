using System.Text.Json;
using Nudge.Core.Commerce;

namespace Nudge.Core.Tests.Commerce;

public sealed class CommerceEventParserTests
{
    [Theory]
    [InlineData("Signed Up")]
    [InlineData("Product Clicked")]
    [InlineData("Order Updated")]
    [InlineData("")]
    [InlineData("Order Completed Order Completed Order Completed Order Completed Order Completed")]
    public void Unknown_event_names_are_not_commerce_events(string eventName) =>
        Assert.Null(CommerceEventParser.Parse(eventName, JsonElement.Parse("""{ "order_id": "50314b8e9bcf000000000000" }""")));

    [Theory]
    [InlineData("Products Searched", typeof(ProductsSearched))]
    [InlineData("Product List Viewed", typeof(ProductListViewed))]
    [InlineData("Product Viewed", typeof(ProductViewed))]
    [InlineData("Product Added", typeof(ProductAdded))]
    [InlineData("Product Removed", typeof(ProductRemoved))]
    [InlineData("Cart Viewed", typeof(CartViewed))]
    [InlineData("Checkout Started", typeof(CheckoutStarted))]
    [InlineData("Checkout Step Completed", typeof(CheckoutStepCompleted))]
    [InlineData("Payment Info Entered", typeof(PaymentInfoEntered))]
    [InlineData("Order Completed", typeof(OrderCompleted))]
    [InlineData("Order Refunded", typeof(OrderRefunded))]
    [InlineData("Order Cancelled", typeof(OrderCancelled))]
    [InlineData("Coupon Applied", typeof(CouponApplied))]
    [InlineData("Product Added to Wishlist", typeof(ProductAddedToWishlist))]
    [InlineData("Product Reviewed", typeof(ProductReviewed))]
    public void Every_spec_event_name_reads_as_its_own_type(string eventName, Type expected) =>
        Assert.IsType(expected, CommerceEventParser.Parse(eventName, JsonElement.Parse("{}")));

    [Theory]
    [InlineData("order completed")]
    [InlineData("ORDER COMPLETED")]
    [InlineData("order_completed")]
    [InlineData("OrderCompleted")]
    [InlineData("order-completed")]
    public void Event_names_match_whatever_their_case_and_separators(string eventName) =>
        Assert.IsType<OrderCompleted>(CommerceEventParser.Parse(eventName, JsonElement.Parse("{}")));

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"order\"")]
    [InlineData("42")]
    public void Properties_that_are_not_an_object_give_an_event_with_empty_fields(string propertiesJson)
    {
        var order = Track.Parse<OrderCompleted>("Order Completed", propertiesJson);

        Assert.Null(order.OrderId);
        Assert.Null(order.Currency);
        Assert.Empty(order.Products);
        Assert.Equal(0m, order.Value);
    }

    [Fact]
    public void Missing_properties_give_an_event_with_empty_fields()
    {
        var added = Assert.IsType<ProductAdded>(CommerceEventParser.Parse("Product Added", default));

        Assert.Null(added.CartId);
        Assert.Equal(new Product(), added.Product);
    }
}
