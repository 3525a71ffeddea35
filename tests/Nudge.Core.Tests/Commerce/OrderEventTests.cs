using System.Globalization;
using Nudge.Core.Commerce;

namespace Nudge.Core.Tests.Commerce;

public sealed class OrderEventTests
{
    private const string SpecOrderCompleted = """
        {
          "checkout_id": "fksdjfsdjfisjf9sdfjsd9f",
          "order_id": "50314b8e9bcf000000000000",
          "affiliation": "Google Store",
          "total": 27.50,
          "subtotal": 22.50,
          "revenue": 25.00,
          "shipping": 3,
          "tax": 2,
          "discount": 2.5,
          "coupon": "hasbros",
          "currency": "USD",
          "products": [
            {
              "product_id": "507f1f77bcf86cd799439011",
              "sku": "45790-32",
              "name": "Monopoly: 3rd Edition",
              "price": 19,
              "quantity": 1,
              "category": "Games",
              "url": "https://www.example.com/product/path",
              "image_url": "https:///www.example.com/product/path.jpg"
            },
            {
              "product_id": "505bd76785ebb509fc183733",
              "sku": "46493-32",
              "name": "Uno Card Game",
              "price": 3,
              "quantity": 2,
              "category": "Games"
            }
          ]
        }
        """;

    [Fact]
    public void Order_completed_reads_products_revenue_currency_and_coupon()
    {
        var order = Track.Parse<OrderCompleted>("Order Completed", SpecOrderCompleted);

        Assert.Equal("50314b8e9bcf000000000000", order.OrderId);
        Assert.Equal(25.00m, order.Revenue);
        Assert.Equal("USD", order.Currency);
        Assert.Equal("hasbros", order.Coupon);
        Assert.Equal(["507f1f77bcf86cd799439011", "505bd76785ebb509fc183733"], order.Products.Select(p => p.ProductId));
        Assert.Equal(2, order.Products[1].Quantity);
    }

    [Fact]
    public void Order_completed_reads_checkout_affiliation_and_amounts()
    {
        var order = Track.Parse<OrderCompleted>("Order Completed", SpecOrderCompleted);

        Assert.Equal("fksdjfsdjfisjf9sdfjsd9f", order.CheckoutId);
        Assert.Equal("Google Store", order.Affiliation);
        Assert.Equal(
            (27.50m, 22.50m, 3m, 2m, 2.5m),
            (order.Total, order.Subtotal, order.Shipping, order.Tax, order.Discount));
    }

    [Fact]
    public void Order_value_is_the_revenue_when_given()
    {
        var order = Track.Parse<OrderCompleted>("Order Completed", SpecOrderCompleted);

        Assert.Equal(25.00m, order.Value);
    }

    [Theory]
    [InlineData("""{ "total": 27.50, "subtotal": 22.50, "products": [ { "price": 19 } ] }""", "27.50")]
    [InlineData("""{ "subtotal": 22.50, "products": [ { "price": 19 } ] }""", "22.50")]
    [InlineData("""{ "products": [ { "price": 19 }, { "price": "3", "quantity": 2 }, { "name": "Gift wrap" } ] }""", "25")]
    [InlineData("""{ "products": [ { "name": "Gift wrap" } ] }""", "0")]
    [InlineData("{}", "0")]
    public void Order_value_falls_back_to_total_then_subtotal_then_product_sum(string propertiesJson, string expected)
    {
        var order = Track.Parse<OrderCompleted>("Order Completed", propertiesJson);

        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), order.Value);
    }

    [Theory]
    [InlineData("eur", "EUR")]
    [InlineData(" gbp ", "GBP")]
    [InlineData("dollars", null)]
    [InlineData("$", null)]
    public void Currency_is_an_upper_case_iso_code_or_null(string currency, string? expected)
    {
        var order = Track.Parse<OrderCompleted>("Order Completed", $$"""{ "currency": "{{currency}}" }""");

        Assert.Equal(expected, order.Currency);
    }

    [Fact]
    public void Checkout_started_reads_the_order_and_its_products()
    {
        var checkout = Track.Parse<CheckoutStarted>("Checkout Started", """
            {
              "order_id": "50314b8e9bcf000000000000",
              "affiliation": "Google Store",
              "value": 30,
              "revenue": 25.00,
              "shipping": 3,
              "tax": 2,
              "discount": 2.5,
              "coupon": "hasbros",
              "currency": "USD",
              "products": [
                { "product_id": "507f1f77bcf86cd799439011", "sku": "45790-32", "name": "Monopoly: 3rd Edition", "price": 19, "quantity": 1 }
              ]
            }
            """);

        Assert.Equal("50314b8e9bcf000000000000", checkout.OrderId);
        Assert.Equal(25.00m, checkout.Revenue);
        Assert.Equal("USD", checkout.Currency);
        Assert.Equal("Monopoly: 3rd Edition", Assert.Single(checkout.Products).Name);
    }

    [Fact]
    public void Order_refunded_amount_is_its_total()
    {
        var refund = Track.Parse<OrderRefunded>("Order Refunded", """
            {
              "order_id": "50314b8e9bcf000000000000",
              "total": 30,
              "currency": "USD",
              "products": [ { "product_id": "507f1f77bcf86cd799439011", "price": 19, "quantity": 1 } ]
            }
            """);

        Assert.Equal("50314b8e9bcf000000000000", refund.OrderId);
        Assert.Equal(30m, refund.RefundedAmount);
        Assert.False(refund.IsFullRefund);
    }

    [Fact]
    public void Order_refunded_amount_falls_back_to_the_listed_products()
    {
        var refund = Track.Parse<OrderRefunded>("Order Refunded", """
            {
              "order_id": "50314b8e9bcf000000000000",
              "products": [ { "product_id": "505bd76785ebb509fc183733", "price": 3, "quantity": 2 } ]
            }
            """);

        Assert.Equal(6m, refund.RefundedAmount);
    }

    [Fact]
    public void Order_refunded_without_amount_or_products_is_a_full_refund()
    {
        var refund = Track.Parse<OrderRefunded>("Order Refunded", """{ "order_id": "50314b8e9bcf000000000000" }""");

        Assert.Null(refund.RefundedAmount);
        Assert.True(refund.IsFullRefund);
    }

    [Fact]
    public void Order_cancelled_reads_the_order_total_and_products()
    {
        var cancelled = Track.Parse<OrderCancelled>("Order Cancelled", """
            {
              "order_id": "50314b8e9bcf000000000000",
              "affiliation": "Google Store",
              "total": 30,
              "revenue": 25.00,
              "currency": "USD",
              "products": [ { "product_id": "507f1f77bcf86cd799439011", "price": 19, "quantity": 1 } ]
            }
            """);

        Assert.Equal("50314b8e9bcf000000000000", cancelled.OrderId);
        Assert.Equal(30m, cancelled.Total);
        Assert.Equal("507f1f77bcf86cd799439011", Assert.Single(cancelled.Products).ProductId);
    }
}
