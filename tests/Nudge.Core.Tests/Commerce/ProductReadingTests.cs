using Nudge.Core.Commerce;

namespace Nudge.Core.Tests.Commerce;

public sealed class ProductReadingTests
{
    [Fact]
    public void Product_reads_every_spec_field()
    {
        var viewed = Track.Parse<ProductViewed>("Product Viewed", """
            {
              "product_id": "507f1f77bcf86cd799439011",
              "sku": "G-32",
              "category": "Games",
              "name": "Monopoly: 3rd Edition",
              "brand": "Hasbro",
              "variant": "200 pieces",
              "price": 18.99,
              "quantity": 2,
              "coupon": "MAYDEALS",
              "currency": "usd",
              "position": 3,
              "value": 18.99,
              "url": "https://www.example.com/product/path",
              "image_url": "https://www.example.com/product/path.jpg"
            }
            """);

        Assert.Equal(new Product
        {
            ProductId = "507f1f77bcf86cd799439011",
            Sku = "G-32",
            Category = "Games",
            Name = "Monopoly: 3rd Edition",
            Brand = "Hasbro",
            Variant = "200 pieces",
            Price = 18.99m,
            Quantity = 2,
            Coupon = "MAYDEALS",
            Position = 3,
            Url = "https://www.example.com/product/path",
            ImageUrl = "https://www.example.com/product/path.jpg",
        }, viewed.Product);
    }

    [Fact]
    public void Product_id_falls_back_to_id()
    {
        var added = Track.Parse<ProductAdded>("Product Added", """{ "id": "507f1f77bcf86cd799439011" }""");

        Assert.Equal("507f1f77bcf86cd799439011", added.Product.ProductId);
    }

    [Fact]
    public void Product_id_wins_over_id()
    {
        var added = Track.Parse<ProductAdded>("Product Added", """{ "product_id": "G-32", "id": "legacy-7" }""");

        Assert.Equal("G-32", added.Product.ProductId);
    }

    [Fact]
    public void Numeric_ids_are_read_as_text()
    {
        var added = Track.Parse<ProductAdded>("Product Added", """{ "product_id": 507, "cart_id": 42 }""");

        Assert.Equal("507", added.Product.ProductId);
        Assert.Equal("42", added.CartId);
    }

    [Fact]
    public void Quantity_defaults_to_one_when_absent()
    {
        var added = Track.Parse<ProductAdded>("Product Added", """{ "product_id": "G-32", "price": 18.99 }""");

        Assert.Equal(1, added.Product.Quantity);
    }

    [Fact]
    public void Numeric_strings_are_read_as_numbers()
    {
        var added = Track.Parse<ProductAdded>("Product Added",
            """{ "product_id": "G-32", "price": "19.99", "quantity": "3", "position": " 4 " }""");

        Assert.Equal(19.99m, added.Product.Price);
        Assert.Equal(3, added.Product.Quantity);
        Assert.Equal(4, added.Product.Position);
    }

    [Theory]
    [InlineData("\"19,99\"")]
    [InlineData("\"$19.99\"")]
    [InlineData("\"\"")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("1e40")]
    public void Unreadable_prices_become_null(string priceJson)
    {
        var added = Track.Parse<ProductAdded>("Product Added", $$"""{ "product_id": "G-32", "price": {{priceJson}} }""");

        Assert.Null(added.Product.Price);
        Assert.Equal("G-32", added.Product.ProductId);
    }

    [Theory]
    [InlineData("2.5")]
    [InlineData("\"two\"")]
    [InlineData("null")]
    public void Quantity_that_is_not_a_whole_number_counts_as_one(string quantityJson)
    {
        var added = Track.Parse<ProductAdded>("Product Added", $$"""{ "product_id": "G-32", "quantity": {{quantityJson}} }""");

        Assert.Equal(1, added.Product.Quantity);
    }

    [Fact]
    public void Whole_numbers_written_with_a_fraction_are_read()
    {
        var added = Track.Parse<ProductAdded>("Product Added", """{ "product_id": "G-32", "quantity": 2.0 }""");

        Assert.Equal(2, added.Product.Quantity);
    }

    [Fact]
    public void Blank_strings_are_read_as_absent()
    {
        var added = Track.Parse<ProductAdded>("Product Added", """{ "product_id": "G-32", "coupon": "  ", "cart_id": "" }""");

        Assert.Null(added.Product.Coupon);
        Assert.Null(added.CartId);
    }

    [Fact]
    public void Products_that_are_not_objects_are_skipped()
    {
        var cart = Track.Parse<CartViewed>("Cart Viewed",
            """{ "cart_id": "skdjsidjsdkdj29j", "products": [ "G-32", null, { "product_id": "G-33" } ] }""");

        var product = Assert.Single(cart.Products);
        Assert.Equal("G-33", product.ProductId);
    }

    [Fact]
    public void Products_that_are_not_a_list_read_as_none()
    {
        var cart = Track.Parse<CartViewed>("Cart Viewed", """{ "cart_id": "skdjsidjsdkdj29j", "products": { "product_id": "G-32" } }""");

        Assert.Empty(cart.Products);
    }
}
