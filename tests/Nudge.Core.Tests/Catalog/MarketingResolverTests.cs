using Nudge.Core.Catalog;

namespace Nudge.Core.Tests.Catalog;

public sealed class MarketingResolverTests
{
    private static CatalogProduct Product(string? type, MarketingAttributes? own = null) =>
        new() { Id = "p", Title = "P", ProductType = type, Marketing = own ?? MarketingAttributes.None };

    [Fact]
    public void The_product_wins_over_its_type_and_the_type_over_the_default()
    {
        var type = new MarketingAttributes(["case"], ["phone-pro"], 90, 5);

        var ownReview = MarketingResolver.Resolve(Product("Phones", new MarketingAttributes(ReviewDelayDays: 2)), type);
        var fromType = MarketingResolver.Resolve(Product("Phones"), type);
        var fromDefault = MarketingResolver.Resolve(Product("Phones"), null);

        Assert.Equal(new Resolved<int?>(2, AttributeSource.Product), ownReview.ReviewDelayDays);
        Assert.Equal(AttributeSource.ProductType, ownReview.ComplementaryProductIds.Source);
        Assert.Equal(new Resolved<int?>(5, AttributeSource.ProductType), fromType.ReviewDelayDays);
        Assert.Equal(new Resolved<int?>(90, AttributeSource.ProductType), fromType.ConsumptionDays);
        Assert.Equal(new Resolved<int?>(ReviewDelayDefaults.Fallback, AttributeSource.Default), fromDefault.ReviewDelayDays);
        Assert.Equal(new Resolved<int?>(null, AttributeSource.None), fromDefault.ConsumptionDays);
        Assert.Empty(fromDefault.UpsellProductIds.Value!);
        Assert.Equal(AttributeSource.None, fromDefault.UpsellProductIds.Source);
    }

    [Theory]
    [InlineData("Christmas Decorations", 3)]
    [InlineData("Fresh Flowers", 7)]
    [InlineData("Running Shoes", 14)]
    [InlineData("Womens Clothing", 14)]
    [InlineData("Sports Gear", 21)]
    [InlineData("Living Room Furniture", 28)]
    [InlineData("Gadgets", ReviewDelayDefaults.Fallback)]
    [InlineData(null, ReviewDelayDefaults.Fallback)]
    public void Review_delays_default_by_the_kind_of_product(string? type, int days) =>
        Assert.Equal(days, ReviewDelayDefaults.For(type));

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(null, 0, false)]
    [InlineData(null, 2, true)]
    [InlineData(Availability.OutOfStock, 5, false)]
    [InlineData(Availability.InStock, 0, true)]
    [InlineData(Availability.Preorder, null, false)]
    public void Stated_availability_wins_and_otherwise_units_in_stock_decide(Availability? availability, int? quantity, bool inStock) =>
        Assert.Equal(inStock, Stock.IsAvailable(availability, quantity));
}
