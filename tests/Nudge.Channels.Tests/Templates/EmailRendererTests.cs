using System.Text.Json.Nodes;
using Nudge.Channels.Templates;
using Nudge.Channels.Templates.Email;

namespace Nudge.Channels.Tests.Templates;

public sealed class EmailRendererTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 12, 14, 30, 0, TimeSpan.Zero);
    private readonly TemplateEngine _engine = new();

    [Fact]
    public async Task Style_rules_are_inlined_and_media_queries_stay_in_a_style_block()
    {
        const string Html = """
            <html><head><style>
              p { color: #333; margin: 0 }
              .cta { color: #f00 !important; }
              a:hover { color: blue }
              @media (max-width: 600px) { p { font-size: 18px } }
            </style></head>
            <body><p class="cta" style="color: green; padding: 4px">Buy</p><p>Hi</p></body></html>
            """;

        var email = await RenderAsync(new TemplateParts(Subject: "s", Html: Html));

        Assert.Contains("<p class=\"cta\" style=\"color: #f00 !important; margin: 0; padding: 4px\">Buy</p>", email.Html, StringComparison.Ordinal);
        Assert.Contains("<p style=\"color: #333; margin: 0\">Hi</p>", email.Html, StringComparison.Ordinal);
        Assert.Contains("@media (max-width: 600px) { p { font-size: 18px } }", email.Html, StringComparison.Ordinal);
        Assert.Contains("a:hover { color: blue }", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(".cta {", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_preheader_is_hidden_text_at_the_top_of_the_body()
    {
        var email = await RenderAsync(new TemplateParts(Subject: "s", Preheader: "Your cart misses you, {{ profile.first_name }}", Html: "<body><h1>Hello</h1></body>"),
            new JsonObject { ["first_name"] = "Ada" });

        Assert.Equal("Your cart misses you, Ada", email.Preheader);
        Assert.Matches("<body><div style=\"display:none;[^\"]*\">Your cart misses you, Ada", email.Html);
        Assert.DoesNotContain("misses", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_text_part_is_written_from_the_html_when_the_template_has_none()
    {
        const string Html = """
            <h1>Your cart</h1>
            <p>Hi {{ profile.first_name }},   you left <b>2 items</b>:</p>
            <ul><li>Shoes</li><li>Socks</li></ul>
            <ol><li>Pick</li><li>Pay</li></ol>
            <p><a href="https://shop.example/cart">Back to your cart</a> or <a href="https://shop.example">https://shop.example</a></p>
            <table><tr><td>Total</td><td>€49.90</td></tr></table>
            """;

        var email = await RenderAsync(new TemplateParts(Subject: "s", Html: Html), new JsonObject { ["first_name"] = "Ada" });

        Assert.Equal(
            "Your cart\n=========\n\nHi Ada, you left 2 items:\n\n- Shoes\n- Socks\n\n1. Pick\n2. Pay\n\n" +
            "Back to your cart (https://shop.example/cart) or https://shop.example\n\nTotal €49.90\n",
            email.Text);
    }

    [Fact]
    public async Task A_text_part_of_the_template_is_used_as_written()
    {
        var email = await RenderAsync(new TemplateParts(Subject: "Hi\n {{ profile.first_name }} ", Html: "<p>x</p>", Text: "Plain {{ profile.first_name }}"),
            new JsonObject { ["first_name"] = "Ada" });

        Assert.Equal(("Hi Ada", "Plain Ada"), (email.Subject, email.Text));
    }

    [Fact]
    public async Task Missing_variables_are_reported_by_part()
    {
        var email = await RenderAsync(new TemplateParts(Subject: "{{ profile.first_name }}", Html: "<p>{{ coupon.code }}</p>"));

        Assert.Equal([new MissingVariable("subject", "profile.first_name"), new MissingVariable("html", "coupon.code")], email.Missing);
    }

    [Fact]
    public async Task Tracking_rewrites_web_links_adds_the_pixel_and_leaves_the_text_part_alone()
    {
        var tracking = new EmailTracking(url => url.Contains("unsubscribe", StringComparison.Ordinal) ? null : "https://t.example/c?u=" + Uri.EscapeDataString(url),
            "https://t.example/o.gif");
        var email = await RenderAsync(new TemplateParts(Subject: "Hi", Html:
            "<p><a href=\"https://shop.example/cart\">Cart</a> <a href=\"mailto:help@shop.example\">Help</a> " +
            "<a href=\"https://shop.example/unsubscribe\">Unsubscribe</a> <a data-nudge-track=\"off\" href=\"https://shop.example/raw\">Raw</a></p>"),
            tracking: tracking);

        Assert.Contains("href=\"https://t.example/c?u=https%3A%2F%2Fshop.example%2Fcart\"", email.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"mailto:help@shop.example\"", email.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://shop.example/unsubscribe\"", email.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://shop.example/raw\">", email.Html, StringComparison.Ordinal);
        Assert.Contains("<img src=\"https://t.example/o.gif\" width=\"1\" height=\"1\"", email.Html, StringComparison.Ordinal);
        Assert.Contains("Cart (https://shop.example/cart)", email.Text, StringComparison.Ordinal);
        Assert.Equal(new TrackingApplied(1, true), email.Tracking);
    }

    [Fact]
    public async Task A_template_can_turn_tracking_off_for_itself()
    {
        var tracking = new EmailTracking(url => "https://t.example/c", "https://t.example/o.gif");
        var email = await RenderAsync(new TemplateParts(Subject: "Hi",
            Html: "<html data-nudge-tracking=\"off\"><body><a href=\"https://shop.example/\">Shop</a></body></html>"), tracking: tracking);

        Assert.DoesNotContain("t.example", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-nudge-tracking", email.Html, StringComparison.Ordinal);
        Assert.Equal(new TrackingApplied(0, false), email.Tracking);
    }

    private async Task<RenderedEmail> RenderAsync(TemplateParts parts, JsonObject? profile = null, EmailTracking? tracking = null)
    {
        Assert.Empty(_engine.Check(TemplateKind.Email, parts, null));
        var compiled = _engine.Compile(null, TemplateKind.Email, parts, PartialLibrary.Empty);
        var input = new RenderInput { Profile = profile ?? [] };
        return await new EmailRenderer(_engine).RenderAsync(compiled, input.ToVariables(), input.Settings("EUR"), Now, tracking);
    }
}
