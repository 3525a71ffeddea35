using Nudge.Core.Commerce;

namespace Nudge.Core.Tests.Commerce;

public sealed class BrowsingAndProductEventTests
{
    [Fact]
    public void Products_searched_reads_the_query()
    {
        var search = Track.Parse<ProductsSearched>("Products Searched", """{ "query": "blue hotpants" }""");

        Assert.Equal("blue hotpants", search.Query);
    }

    [Fact]
    public void Product_list_viewed_reads_the_list_category_and_products()
    {
        var list = Track.Parse<ProductListViewed>("Product List Viewed", """
            {
              "list_id": "hot_deals_1",
              "category": "Deals",
              "products": [
                { "product_id": "507f1f77bcf86cd799439011", "sku": "45790-32", "name": "Monopoly: 3rd Edition", "price": 19, "position": 1 },
                { "product_id": "505bd76785ebb509fc183733", "sku": "46493-32", "name": "Uno Card Game", "price": 3, "position": 2 }
              ]
            }
            """);

        Assert.Equal(("hot_deals_1", "Deals"), (list.ListId, list.Category));
        Assert.Equal(["45790-32", "46493-32"], list.Products.Select(p => p.Sku));
    }

    [Fact]
    public void Product_viewed_reads_the_product_and_currency()
    {
        var viewed = Track.Parse<ProductViewed>("Product Viewed", """
            { "product_id": "507f1f77bcf86cd799439011", "name": "Monopoly: 3rd Edition", "price": 18.99, "currency": "usd" }
            """);

        Assert.Equal(("507f1f77bcf86cd799439011", 18.99m), (viewed.Product.ProductId, viewed.Product.Price));
        Assert.Equal("USD", viewed.Currency);
    }

    [Fact]
    public void Product_added_to_wishlist_reads_the_wishlist_and_product()
    {
        var wished = Track.Parse<ProductAddedToWishlist>("Product Added to Wishlist", """
            {
              "wishlist_id": "skdjsidjsdkdj29j",
              "wishlist_name": "Loved Games",
              "product_id": "507f1f77bcf86cd799439011",
              "sku": "G-32",
              "category": "Games",
              "name": "Monopoly: 3rd Edition",
              "price": 18.99,
              "quantity": 1
            }
            """);

        Assert.Equal(("skdjsidjsdkdj29j", "Loved Games"), (wished.WishlistId, wished.WishlistName));
        Assert.Equal("507f1f77bcf86cd799439011", wished.Product.ProductId);
    }

    [Fact]
    public void Product_reviewed_reads_the_review_and_rating()
    {
        var review = Track.Parse<ProductReviewed>("Product Reviewed", """
            { "product_id": "507f1f77bcf86cd799439011", "review_id": "kdfjrj39fj39jf3", "review_body": "I love this product", "rating": "5" }
            """);

        Assert.Equal(("507f1f77bcf86cd799439011", "kdfjrj39fj39jf3"), (review.ProductId, review.ReviewId));
        Assert.Equal(("I love this product", 5m), (review.ReviewBody, review.Rating));
    }
}
