using System.Text.Json.Nodes;
using Nudge.Channels.Templates;
using Nudge.Channels.Templates.Blocks;
using Nudge.Channels.Templates.Filters;
using Nudge.Channels.Templates.Rendering;

namespace Nudge.Channels.Tests.Templates;

public sealed class DynamicBlockTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 12, 14, 30, 0, TimeSpan.Zero);
    private static readonly RenderSettings English = new(TemplateLocales.EnglishUs, "EUR", LocalDates.Zone("Europe/Berlin"));
    private static readonly RenderSettings German = new(TemplateLocales.Find("de-DE"), "EUR", LocalDates.Zone("Europe/Berlin"));
    private readonly TemplateEngine _engine = new();

    [Fact]
    public async Task A_product_grid_shows_the_cart_as_linked_cards_with_image_name_and_price()
    {
        var input = new RenderInput { Event = Cart(Product("p1", "Trail Shoe", 89.9m, quantity: 2), Product("p2", "Wool Socks", 12m)) };

        var html = await HtmlAsync("{% product_grid event.products, columns: 2, button: \"Shop now\" %}", input);

        Assert.Contains("<table role=\"presentation\" class=\"nudge-product-grid\"", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://shop.example/p/p1\"><img src=\"https://cdn.example/p1.jpg\" alt=\"Trail Shoe\"", html, StringComparison.Ordinal);
        Assert.Contains(">Trail Shoe</a> × 2</p>", html, StringComparison.Ordinal);
        Assert.Contains("€89.90", html, StringComparison.Ordinal);
        Assert.Contains(">Wool Socks</a></p>", html, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(html, "class=\"nudge-product-button\" href=\"https://shop.example/p/"));
        Assert.Equal(1, CountOf(html, "<tr>"));
    }

    [Fact]
    public async Task A_product_grid_fills_rows_by_its_column_count_and_stops_at_its_limit()
    {
        var products = new JsonArray([.. Enumerable.Range(1, 9).Select(i => (JsonNode)Product($"p{i}", $"Product {i}", 10m))]);
        var input = new RenderInput { Event = new JsonObject { ["products"] = products } };

        var html = await HtmlAsync("{% product_grid event.products, columns: 3, limit: 5 %}", input);

        Assert.Equal(2, CountOf(html, "<tr>"));
        Assert.Equal(6, CountOf(html, "<td class=\"nudge-product\" width=\"33%\""));
        Assert.Contains("Product 5", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Product 6", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_product_on_sale_shows_its_old_price_struck_through_in_the_readers_locale()
    {
        var product = Product("p1", "Trail Shoe", 69.9m);
        product["compare_at_price"] = 89.9m;

        var html = await HtmlAsync("{% product_grid event.products %}", new RenderInput { Event = Cart(product) }, German);

        Assert.Contains("<s style=\"color:#888888\">89,90&#xA0;€</s> 69,90&#xA0;€", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_product_grid_leaves_out_links_that_are_not_web_addresses()
    {
        var product = Product("p1", "Evil <b>Shoe</b>", 10m);
        product["url"] = "javascript:alert(1)";

        var html = await HtmlAsync("{% product_grid event.products %}", new RenderInput { Event = Cart(product) });

        Assert.DoesNotContain("javascript", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("Evil &lt;b&gt;Shoe&lt;/b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_product_grid_in_a_text_part_is_one_line_per_product()
    {
        var compiled = Compile(new TemplateParts(Body: "{% product_grid products.viewed %}"), TemplateKind.Sms);
        var input = new RenderInput { Products = new JsonObject { ["viewed"] = new JsonArray(Product("p1", "Trail Shoe", 89.9m)) } };

        var text = await _engine.RenderAsync(compiled, "body", input.ToVariables(), English, Now);

        Assert.Equal("- Trail Shoe – €89.90 https://shop.example/p/p1\n", text.Output);
    }

    [Fact]
    public async Task A_feed_is_fetched_only_when_the_template_reads_it_and_once_per_message()
    {
        var lookups = new CountingLookups(new JsonArray(Product("r1", "Gaiters", 25m)));
        var input = new RenderInput { Lookups = lookups };
        var template = Compile(new TemplateParts(Subject: "{{ recommendations[0].name }}", Html: "{% product_grid recommendations %}"));

        var subject = await _engine.RenderAsync(template, "subject", input.ToVariables(), English, Now);
        var variables = input.ToVariables();
        await _engine.RenderAsync(template, "subject", variables, English, Now);
        var html = await _engine.RenderAsync(template, "html", variables, English, Now);
        await _engine.RenderAsync(Compile(new TemplateParts(Subject: "Hi", Html: "<p>no products here</p>")), "html", new RenderInput { Lookups = lookups }.ToVariables(), English, Now);

        Assert.Equal("Gaiters", subject.Output);
        Assert.Contains("Gaiters", html.Output, StringComparison.Ordinal);
        Assert.Equal([ProductFeeds.Recommendations, ProductFeeds.Recommendations], lookups.Feeds);
    }

    [Fact]
    public async Task A_coupon_block_shows_the_code_what_it_gives_and_its_last_day()
    {
        var input = new RenderInput { Coupon = new JsonObject { ["code"] = "SAVE-7KQ2", ["type"] = "percent", ["value"] = 10, ["expires_at"] = "2026-04-01T21:59:00Z" } };

        var english = await HtmlAsync("{% coupon_block %}", input);
        var german = await HtmlAsync("{% coupon_block button: \"Einlösen\", url: \"https://shop.example/cart\" %}", input, German);

        Assert.Contains(">10% off</p>", english, StringComparison.Ordinal);
        Assert.Contains(">SAVE-7KQ2</p>", english, StringComparison.Ordinal);
        Assert.Contains(">Valid until April 1, 2026</p>", english, StringComparison.Ordinal);
        Assert.Contains(">10&#xA0;% Rabatt</p>", german, StringComparison.Ordinal);
        Assert.Contains(">Gültig bis 1. April 2026</p>", german, StringComparison.Ordinal);
        Assert.Contains("class=\"nudge-coupon-button\" href=\"https://shop.example/cart\"", german, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_coupon_block_without_a_coupon_writes_nothing_and_is_reported_missing()
    {
        var template = Compile(new TemplateParts(Subject: "s", Html: "<p>{% coupon_block %}</p>"));

        var rendered = await _engine.RenderAsync(template, "html", new RenderInput().ToVariables(), English, Now);

        Assert.Equal("<p></p>", rendered.Output);
        Assert.Equal(["coupon.code"], rendered.Missing);
    }

    [Fact]
    public async Task A_segment_condition_shows_a_block_only_to_members()
    {
        const string Html = """{% if segments["VIP customers"] %}Free express shipping{% else %}Join our club{% endif %}""";

        var member = await HtmlAsync(Html, new RenderInput { Lookups = new CountingLookups([], segments: ["seg_1", "VIP customers"]) });
        var other = await HtmlAsync(Html, new RenderInput { Lookups = new CountingLookups([], segments: ["seg_2", "Newsletter"]) });
        var sample = await HtmlAsync(Html, new RenderInput { Segments = ["VIP customers"] });

        Assert.Equal("Free express shipping", member);
        Assert.Equal("Join our club", other);
        Assert.Equal("Free express shipping", sample);
    }

    [Theory]
    [InlineData("{% product_grid columns: 3 %}", "'product_grid' needs the products first")]
    [InlineData("{% product_grid products.viewed, colums: 3 %}", "'product_grid' has no option 'colums' (it takes columns, limit, button, color, price)")]
    [InlineData("{% product_grid products.viewed, columns: 7 %}", "'product_grid' option columns: must be a number from 1 to 4")]
    [InlineData("{% product_grid products.viewed, color: \"red;background:url(x)\" %}", "'product_grid' option color: must be a hex colour")]
    [InlineData("{% coupon_block button: \"Shop\" %}", "'coupon_block' option button: a button needs a url")]
    [InlineData("{% coupon_block url: \"javascript:x\", button: \"Go\" %}", "'coupon_block' option url: must be an http or https address")]
    [InlineData("{% product_grid products.best_sellers %}", "no product feed 'best_sellers' (there are trigger, viewed, cross_sell, upsell, new_arrivals, recommendations)")]
    [InlineData("{% if segments[\"VIP\"] %}x{% endif %}", "no segment named 'VIP' in this workspace")]
    public void Mistakes_in_a_block_are_found_when_the_template_is_saved(string html, string message)
    {
        var errors = _engine.Check(TemplateKind.Email, new TemplateParts(Subject: "s", Html: "<p>\n" + html + "</p>"), null, ["seg_1", "VIP customers"]);

        var error = Assert.Single(errors);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void A_template_with_its_own_products_variable_is_not_checked_against_the_feeds()
    {
        const string Html = "{% assign products = event.products %}{{ products.first.name }}{% product_grid products %}";

        Assert.Empty(_engine.Check(TemplateKind.Email, new TemplateParts(Subject: "s", Html: Html), null, []));
    }

    private async Task<string> HtmlAsync(string html, RenderInput input, RenderSettings? settings = null)
    {
        var rendered = await _engine.RenderAsync(Compile(new TemplateParts(Subject: "s", Html: html)), "html", input.ToVariables(), settings ?? English, Now);
        return rendered.Output;
    }

    private CompiledTemplate Compile(TemplateParts parts, TemplateKind kind = TemplateKind.Email) =>
        _engine.Compile(null, kind, parts, PartialLibrary.Empty);

    private static JsonObject Cart(params JsonObject[] products) => new() { ["products"] = new JsonArray([.. products]) };

    private static JsonObject Product(string id, string name, decimal price, int quantity = 1) => new()
    {
        ["product_id"] = id,
        ["name"] = name,
        ["price"] = price,
        ["quantity"] = quantity,
        ["url"] = $"https://shop.example/p/{id}",
        ["image_url"] = $"https://cdn.example/{id}.jpg",
    };

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    /// <summary>Lookups that answer from memory and remember which feeds were asked for.</summary>
    private sealed class CountingLookups(JsonArray products, IReadOnlyCollection<string>? segments = null) : IRenderLookups
    {
        public List<string> Feeds { get; } = [];

        public ValueTask<JsonArray> ProductsAsync(string feed)
        {
            Feeds.Add(feed);
            return ValueTask.FromResult((JsonArray)products.DeepClone());
        }

        public ValueTask<IReadOnlyCollection<string>> SegmentsAsync() => ValueTask.FromResult(segments ?? []);
    }
}
