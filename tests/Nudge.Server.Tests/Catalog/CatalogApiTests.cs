using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Catalog;

public sealed class CatalogApiTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Shoe(string id, decimal price = 89.90m, int quantity = 5, string brand = "Fleetfoot") => new()
    {
        ["id"] = id,
        ["sku"] = "SH-" + id,
        ["title"] = "Trail Runner " + id,
        ["url"] = $"https://shop.example/p/{id}",
        ["price"] = price,
        ["currency"] = "EUR",
        ["categories"] = new JsonArray("Shoes"),
        ["brand"] = brand,
        ["productType"] = "Running Shoes",
        ["tags"] = new JsonArray("trail"),
        ["inventoryQuantity"] = quantity,
    };

    [Fact]
    public async Task A_product_is_created_read_replaced_and_deleted()
    {
        using var admin = nudge.Admin();
        var id = Some.Id("shoe");

        var created = await admin.PostAsJsonAsync("/api/catalog/products", Shoe(id), Ct);
        var again = await admin.PostAsJsonAsync("/api/catalog/products", Shoe(id), Ct);
        var replaced = await admin.PutAsJsonAsync($"/api/catalog/products/{id}", Shoe(id, price: 79m), Ct);
        var read = await admin.GetFromJsonAsync<JsonObject>($"/api/catalog/products/{id}", Ct);
        var deleted = await admin.DeleteAsync($"/api/catalog/products/{id}", Ct);
        var gone = await admin.GetAsync($"/api/catalog/products/{id}", Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal((79m, "EUR", "Trail Runner " + id), ((decimal?)read!["price"], (string?)read["currency"], (string?)read["title"]));
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound), (deleted.StatusCode, gone.StatusCode));
    }

    [Fact]
    public async Task An_invalid_product_is_refused_naming_every_wrong_field()
    {
        using var admin = nudge.Admin();

        var response = await admin.PostAsJsonAsync("/api/catalog/products", new JsonObject
        {
            ["id"] = "p",
            ["title"] = "",
            ["price"] = -3,
            ["currency"] = "euro",
            ["variants"] = new JsonArray(new JsonObject { ["id"] = "v", ["inventoryQuantity"] = "many" }),
            ["colour"] = "red",
        }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject();
        Assert.Equal(["colour", "variants[0].inventoryQuantity"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_put_whose_body_names_another_id_is_refused()
    {
        using var admin = nudge.Admin();

        var response = await admin.PutAsJsonAsync("/api/catalog/products/a", Shoe("b"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().ContainsKey("id"));
    }

    [Fact]
    public async Task A_bulk_upsert_reports_what_changed_and_a_repeat_changes_nothing()
    {
        using var admin = nudge.Admin();
        var brand = Some.Id("brand");
        var ids = Enumerable.Range(0, 3).Select(_ => Some.Id("bulk")).ToArray();
        JsonObject Body(decimal price) => new() { ["products"] = new JsonArray(ids.Select(id => (JsonNode)Shoe(id, price, brand: brand)).ToArray()) };

        var first = await (await admin.PostAsJsonAsync("/api/catalog/products/bulk", Body(50m), Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
        var repeat = await (await admin.PostAsJsonAsync("/api/catalog/products/bulk", Body(50m), Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
        var cheaper = await (await admin.PostAsJsonAsync("/api/catalog/products/bulk", Body(40m), Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
        var history = await admin.GetFromJsonAsync<JsonArray>($"/api/catalog/products/{ids[0]}/price-history", Ct);

        Assert.Equal((3, 0, 0), ((int)first!["created"]!, (int)first["updated"]!, (int)first["unchanged"]!));
        Assert.Equal((0, 0, 3), ((int)repeat!["created"]!, (int)repeat["updated"]!, (int)repeat["unchanged"]!));
        Assert.Equal((0, 3, 0), ((int)cheaper!["created"]!, (int)cheaper["updated"]!, (int)cheaper["unchanged"]!));
        Assert.Equal([50m, 40m], history!.Select(h => (decimal)h!["price"]!));
    }

    [Fact]
    public async Task A_bulk_upsert_with_one_bad_product_stores_nothing_and_names_it()
    {
        using var admin = nudge.Admin();
        var good = Some.Id("good");

        var response = await admin.PostAsJsonAsync("/api/catalog/products/bulk",
            new JsonObject { ["products"] = new JsonArray(Shoe(good), new JsonObject { ["id"] = "x", ["title"] = "X", ["price"] = 5 }) }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().ContainsKey("products[1].currency"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/catalog/products/{good}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_bulk_upsert_over_the_limit_is_refused()
    {
        using var admin = nudge.Admin();
        var products = new JsonArray(Enumerable.Range(0, 1001).Select(i => (JsonNode)new JsonObject { ["id"] = $"p{i}", ["title"] = "P" }).ToArray());

        var response = await admin.PostAsJsonAsync("/api/catalog/products/bulk", new JsonObject { ["products"] = products }, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("products", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["field"]);
    }

    [Fact]
    public async Task Search_filters_and_pages_through_the_catalog()
    {
        using var admin = nudge.Admin();
        var brand = Some.Id("brand");
        var products = Enumerable.Range(0, 5).Select(i => (JsonNode)Shoe($"{brand}-{i}", quantity: i % 2, brand: brand)).ToArray();
        await admin.PostAsJsonAsync("/api/catalog/products/bulk", new JsonObject { ["products"] = new JsonArray(products) }, Ct);

        var inStock = await admin.GetFromJsonAsync<JsonObject>($"/api/catalog/products?brand={brand}&inStock=true", Ct);
        var page1 = await admin.GetFromJsonAsync<JsonObject>($"/api/catalog/products?q={brand}-&limit=3", Ct);
        var page2 = await admin.GetFromJsonAsync<JsonObject>($"/api/catalog/products?q={brand}-&limit=3&after={page1!["next"]}", Ct);
        var badLimit = await admin.GetAsync("/api/catalog/products?limit=0", Ct);

        Assert.Equal([$"{brand}-1", $"{brand}-3"], inStock!["products"]!.AsArray().Select(p => (string)p!["id"]!));
        Assert.Equal(3, page1["products"]!.AsArray().Count);
        Assert.Equal([$"{brand}-3", $"{brand}-4"], page2!["products"]!.AsArray().Select(p => (string)p!["id"]!));
        Assert.Null(page2["next"]);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    [Fact]
    public async Task Product_type_attributes_flow_into_the_effective_marketing_of_its_products()
    {
        using var admin = nudge.Admin();
        var type = Some.Id("Sofas furniture");
        var id = Some.Id("sofa");
        var product = Shoe(id);
        product["productType"] = type;
        product["marketing"] = new JsonObject { ["upsellProductIds"] = new JsonArray("sofa-deluxe") };
        await admin.PutAsJsonAsync($"/api/catalog/products/{id}", product, Ct);

        var before = await admin.GetFromJsonAsync<JsonObject>($"/api/catalog/products/{id}/marketing", Ct);
        var set = await admin.PutAsJsonAsync($"/api/catalog/product-types/{Uri.EscapeDataString(type)}",
            new JsonObject { ["complementaryProductIds"] = new JsonArray("cushion"), ["reviewDelayDays"] = 35 }, Ct);
        var after = await admin.GetFromJsonAsync<JsonObject>($"/api/catalog/products/{id}/marketing", Ct);
        var invalid = await admin.PutAsJsonAsync($"/api/catalog/product-types/{Uri.EscapeDataString(type)}", new JsonObject { ["reviewDelayDays"] = 0 }, Ct);

        Assert.Equal((28, "Default"), ((int)before!["marketing"]!["reviewDelayDays"]!["value"]!, (string?)before["marketing"]!["reviewDelayDays"]!["source"]));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal((35, "ProductType"), ((int)after!["marketing"]!["reviewDelayDays"]!["value"]!, (string?)after["marketing"]!["reviewDelayDays"]!["source"]));
        Assert.Equal("cushion", (string?)after["marketing"]!["complementaryProductIds"]!["value"]![0]);
        Assert.Equal(("sofa-deluxe", "Product"), ((string?)after["marketing"]!["upsellProductIds"]!["value"]![0], (string?)after["marketing"]!["upsellProductIds"]!["source"]));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True((await invalid.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().ContainsKey("reviewDelayDays"));
    }

    [Fact]
    public async Task A_csv_feed_imports_good_rows_reports_bad_ones_by_line_and_changes_nothing_the_second_time()
    {
        using var admin = nudge.Admin();
        var p = Some.Id("feed");
        var csv = $"""
            id,title,price,currency,brand,categories,variant_id,variant_price,variant_inventory_quantity
            {p}-1,Beans,12.50,EUR,Roastery,"Coffee, Beans",,,
            {p}-2,Mug,cheap,EUR,Roastery,Kitchen,,,
            {p}-3,Tee,20,EUR,Cotton,Shirts,S,20,3
            {p}-3,Tee,20,EUR,Cotton,Shirts,M,21,0
            ,No id,1,EUR,,,,,
            """;

        async Task<JsonObject> Import()
        {
            using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
            var response = await admin.PostAsync("/api/catalog/feeds", content, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        }

        var first = await Import();
        var second = await Import();
        var tee = await admin.GetFromJsonAsync<JsonObject>($"/api/catalog/products/{p}-3", Ct);

        Assert.Equal((5, 2, 0), ((int)first["rows"]!, (int)first["created"]!, (int)first["unchanged"]!));
        Assert.Equal([(3L, "price"), (6L, "id")], first["errors"]!.AsArray().Select(e => ((long)e!["line"]!, (string)e["field"]!)));
        Assert.Equal((0, 0, 2), ((int)second["created"]!, (int)second["updated"]!, (int)second["unchanged"]!));
        Assert.Equal([20m, 21m], tee!["variants"]!.AsArray().Select(v => (decimal)v!["price"]!));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/catalog/products/{p}-2", Ct)).StatusCode);
    }

    [Fact]
    public async Task Json_and_ndjson_feeds_report_bad_items_by_line()
    {
        using var admin = nudge.Admin();
        var p = Some.Id("json");
        var json = $$"""
            [
              {"id": "{{p}}-1", "title": "One", "price": 1, "currency": "EUR"},
              {"id": "{{p}}-2", "title": "Two", "price": 2}
            ]
            """;
        var ndjson = $$"""
            {"id": "{{p}}-3", "title": "Three"}
            not json
            {"id": "{{p}}-4", "title": "", "extra": 1}
            """;

        using var jsonContent = new StringContent(json, Encoding.UTF8, "application/json");
        var jsonResponse = await admin.PostAsync("/api/catalog/feeds", jsonContent, Ct);
        Assert.True(jsonResponse.IsSuccessStatusCode, $"{jsonResponse.StatusCode}: {await jsonResponse.Content.ReadAsStringAsync(Ct)}");
        var fromJson = await jsonResponse.Content.ReadFromJsonAsync<JsonObject>(Ct);
        using var ndjsonContent = new StringContent(ndjson, Encoding.UTF8, "text/plain");
        var fromNdjson = await (await admin.PostAsync("/api/catalog/feeds?format=ndjson", ndjsonContent, Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
        using var unknown = new StringContent("x", Encoding.UTF8, "text/plain");
        var noFormat = await admin.PostAsync("/api/catalog/feeds", unknown, Ct);

        Assert.Equal(1, (int)fromJson!["created"]!);
        Assert.Equal([(3L, "currency")], fromJson["errors"]!.AsArray().Select(e => ((long)e!["line"]!, (string)e["field"]!)));
        Assert.Equal(1, (int)fromNdjson!["created"]!);
        Assert.Equal([(2L, "row"), (3L, "title")], fromNdjson["errors"]!.AsArray().Select(e => ((long)e!["line"]!, (string)e["field"]!)));
        Assert.Equal(HttpStatusCode.BadRequest, noFormat.StatusCode);
        Assert.Equal("format", (await noFormat.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().Single().Key);
    }

    [Fact]
    public async Task The_catalog_needs_the_admin_key()
    {
        using var anonymous = nudge.CreateClient();

        var response = await anonymous.GetAsync("/api/catalog/products", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
