using Nudge.Core.Commerce;

namespace Nudge.Core.Tests.Commerce;

public sealed class CartAndCheckoutEventTests
{
    [Fact]
    public void Product_added_reads_the_cart_and_the_product()
    {
        var added = Track.Parse<ProductAdded>("Product Added", """
            {
              "cart_id": "skdjsidjsdkdj29j",
              "product_id": "507f1f77bcf86cd799439011",
              "sku": "G-32",
              "name": "Monopoly: 3rd Edition",
              "price": 18.99,
              "quantity": 1
            }
            """);

        Assert.Equal("skdjsidjsdkdj29j", added.CartId);
        Assert.Equal(("507f1f77bcf86cd799439011", "G-32", 18.99m), (added.Product.ProductId, added.Product.Sku, added.Product.Price));
    }

    [Fact]
    public void Product_removed_reads_the_cart_and_the_product()
    {
        var removed = Track.Parse<ProductRemoved>("Product Removed", """
            { "cart_id": "ksjdj92dj29dj92d2j", "product_id": "507f1f77bcf86cd799439011", "name": "Monopoly: 3rd Edition", "quantity": 1 }
            """);

        Assert.Equal("ksjdj92dj29dj92d2j", removed.CartId);
        Assert.Equal("Monopoly: 3rd Edition", removed.Product.Name);
    }

    [Fact]
    public void Cart_viewed_reads_the_cart_and_its_products()
    {
        var cart = Track.Parse<CartViewed>("Cart Viewed", """
            {
              "cart_id": "d92jd29jd92jd29j92d92jd",
              "products": [
                { "product_id": "507f1f77bcf86cd799439011", "name": "Monopoly: 3rd Edition", "price": 19, "position": 1 },
                { "product_id": "505bd76785ebb509fc183733", "name": "Uno Card Game", "price": 3, "position": 2 }
              ]
            }
            """);

        Assert.Equal("d92jd29jd92jd29j92d92jd", cart.CartId);
        Assert.Equal([1, 2], cart.Products.Select(p => p.Position));
    }

    [Fact]
    public void Checkout_step_completed_reads_the_step_and_methods()
    {
        var step = Track.Parse<CheckoutStepCompleted>("Checkout Step Completed", """
            { "checkout_id": "50314b8e9bcf000000000000", "step": 2, "shipping_method": "Fedex", "payment_method": "Visa" }
            """);

        Assert.Equal("50314b8e9bcf000000000000", step.CheckoutId);
        Assert.Equal((2, "Fedex", "Visa"), (step.Step, step.ShippingMethod, step.PaymentMethod));
    }

    [Fact]
    public void Payment_info_entered_reads_the_checkout_order_and_payment_method()
    {
        var payment = Track.Parse<PaymentInfoEntered>("Payment Info Entered", """
            { "checkout_id": "39f39fj39f3jf93fj9fj39fj3f", "order_id": "dkfsjidfjsdifsdfksdjfkdsfjsdfkdsf", "step": "4", "payment_method": "Visa" }
            """);

        Assert.Equal("39f39fj39f3jf93fj9fj39fj3f", payment.CheckoutId);
        Assert.Equal("dkfsjidfjsdifsdfksdjfkdsfjsdfkdsf", payment.OrderId);
        Assert.Equal((4, "Visa"), (payment.Step, payment.PaymentMethod));
    }

    [Fact]
    public void Coupon_applied_reads_the_coupon_and_discount()
    {
        var coupon = Track.Parse<CouponApplied>("Coupon Applied", """
            {
              "order_id": "50314b8e9bcf000000000000",
              "cart_id": "923923929jd29jd92dj9j93fj3",
              "coupon_id": "may_deals_2016",
              "coupon_name": "May Deals 2016",
              "discount": 23.32
            }
            """);

        Assert.Equal(("50314b8e9bcf000000000000", "923923929jd29jd92dj9j93fj3"), (coupon.OrderId, coupon.CartId));
        Assert.Equal(("may_deals_2016", "May Deals 2016", 23.32m), (coupon.CouponId, coupon.CouponName, coupon.Discount));
    }
}
