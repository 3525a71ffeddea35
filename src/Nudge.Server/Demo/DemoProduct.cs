namespace Nudge.Server.Demo;

/// <summary>A product in the demo shop's catalog.</summary>
/// <param name="Id">Stable product id, <c>prod-001</c> onwards; sent as <c>product_id</c>.</param>
/// <param name="Sku">Stock keeping unit, e.g. <c>SHO-1001</c>.</param>
/// <param name="Name">Display name, e.g. <c>Trail Suede Hiking Boot</c>.</param>
/// <param name="Category">One of the eight shop categories, in lower case (<c>shoes</c>, <c>coffee</c>, ...).</param>
/// <param name="Brand">The (invented) brand.</param>
/// <param name="Price">Unit price in EUR, before tax.</param>
/// <param name="Url">Product page on <c>https://demo-shop.example</c>.</param>
/// <param name="ImageUrl">Product image on <c>https://demo-shop.example</c>.</param>
public sealed record DemoProduct(
    string Id,
    string Sku,
    string Name,
    string Category,
    string Brand,
    decimal Price,
    Uri Url,
    Uri ImageUrl);
