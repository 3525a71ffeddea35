using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Fluid;
using Fluid.Ast;
using Fluid.Values;
using Nudge.Channels.Templates.Filters;
using Nudge.Channels.Templates.Rendering;

namespace Nudge.Channels.Templates.Blocks;

/// <summary>
/// <c>{% product_grid products.cross_sell, columns: 3, limit: 6, button: "Shop now" %}</c>: products as an email-safe
/// grid (a table, since Outlook knows no other layout) of image, name, price (the old price struck through when it
/// is on sale) and an optional button, each linked to the product page. In a text part, one product per line.
/// </summary>
internal static class ProductGrid
{
    public const string Tag = "product_grid";

    /// <summary>The options the tag takes after its list of products.</summary>
    public static readonly IReadOnlyList<string> Options = ["columns", "limit", "button", "color", "price"];

    private const int EmailWidth = 600;

    public static async ValueTask<Completion> RenderAsync(IReadOnlyList<FilterArgument> arguments, TextWriter writer, TextEncoder encoder, TemplateContext context)
    {
        // Checked when saved: the products come first, before any named option.
        if (arguments.Count == 0 || !string.IsNullOrEmpty(arguments[0].Name))
            return Completion.Normal;
        var source = await arguments[0].Expression.EvaluateAsync(context);
        var options = await BlockOptions.EvaluateAsync(arguments, context);
        var columns = options.Number("columns", 2, 1, 4);
        var limit = options.Number("limit", 6, 1, 24);
        var items = source.Type == FluidValues.Array ? source.Enumerate(context).Take(limit) : source.IsNil() ? [] : [source];
        var cards = new List<ProductCard>();
        foreach (var item in items)
        {
            if (await ProductCard.ReadAsync(item, context) is { } card)
                cards.Add(card);
        }
        if (cards.Count == 0)
            return Completion.Normal;

        var settings = RenderSettings.Of(context);
        var phrases = BlockPhrases.For(settings.Locale);
        var showPrice = options.Flag("price", true);
        writer.Write(encoder is HtmlEncoder
            ? Html(cards, columns, options.Text("button"), options.ButtonColour(), showPrice, settings, phrases, encoder)
            : Text(cards, showPrice, settings, phrases));
        return Completion.Normal;
    }

    private static string Html(List<ProductCard> cards, int columns, string? button, string colour, bool showPrice, RenderSettings settings,
        BlockPhrases phrases, TextEncoder html)
    {
        var width = (100 / columns).ToString(CultureInfo.InvariantCulture) + "%";
        var imageWidth = (EmailWidth / columns - 16).ToString(CultureInfo.InvariantCulture);
        var output = new StringBuilder(1024 * cards.Count);
        output.Append("<table role=\"presentation\" class=\"nudge-product-grid\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\">");
        for (var row = 0; row < cards.Count; row += columns)
        {
            output.Append("<tr>");
            for (var column = 0; column < columns; column++)
            {
                output.Append("<td class=\"nudge-product\" width=\"").Append(width).Append("\" valign=\"top\" style=\"padding:8px;text-align:center\">");
                if (row + column < cards.Count)
                    Card(output, cards[row + column], imageWidth, button, colour, showPrice, settings, phrases, html);
                output.Append("</td>");
            }
            output.Append("</tr>");
        }
        return output.Append("</table>").ToString();
    }

    private static void Card(StringBuilder output, ProductCard card, string imageWidth, string? button, string colour, bool showPrice,
        RenderSettings settings, BlockPhrases phrases, TextEncoder html)
    {
        var name = html.Encode(card.Name);
        var url = card.Url is null ? null : html.Encode(card.Url);
        if (card.ImageUrl is { } image)
        {
            var img = $"<img src=\"{html.Encode(image)}\" alt=\"{name}\" width=\"{imageWidth}\" style=\"display:block;width:100%;max-width:{imageWidth}px;height:auto;border:0;margin:0 auto\">";
            output.Append(url is null ? img : $"<a href=\"{url}\">{img}</a>");
        }
        var quantity = card.Quantity is > 1 ? $" × {card.Quantity.Value.ToString("0.##", CultureInfo.InvariantCulture)}" : "";
        output.Append("<p class=\"nudge-product-name\" style=\"margin:8px 0 4px;font-weight:bold\">")
            .Append(url is null ? name : $"<a href=\"{url}\" style=\"color:inherit;text-decoration:none\">{name}</a>")
            .Append(quantity).Append("</p>");
        if (showPrice && card.Price is { } price)
        {
            output.Append("<p class=\"nudge-product-price\" style=\"margin:0 0 8px\">");
            if (card.CompareAtPrice is { } was && was > price)
                output.Append("<s style=\"color:#888888\">").Append(html.Encode(Money.Format(was, card.Currency ?? settings.Currency, settings.Locale))).Append("</s> ");
            output.Append(html.Encode(Money.Format(price, card.Currency ?? settings.Currency, settings.Locale))).Append("</p>");
        }
        if (card.InStock == false)
            output.Append("<p class=\"nudge-product-sold-out\" style=\"margin:0 0 8px;color:#888888\">").Append(html.Encode(phrases.SoldOut)).Append("</p>");
        if (button is { Length: > 0 } && url is not null)
        {
            output.AppendButton("nudge-product-button", url, colour, html.Encode(button));
        }
    }

    private static string Text(List<ProductCard> cards, bool showPrice, RenderSettings settings, BlockPhrases phrases)
    {
        var output = new StringBuilder();
        foreach (var card in cards)
        {
            output.Append("- ").Append(card.Name);
            if (card.Quantity is > 1)
                output.Append(" × ").Append(card.Quantity.Value.ToString("0.##", CultureInfo.InvariantCulture));
            if (showPrice && card.Price is { } price)
                output.Append(" – ").Append(Money.Format(price, card.Currency ?? settings.Currency, settings.Locale));
            if (card.InStock == false)
                output.Append(" (").Append(phrases.SoldOut).Append(')');
            if (card.Url is { } url)
                output.Append(' ').Append(url);
            output.Append('\n');
        }
        return output.ToString();
    }

    /// <summary>What the grid shows of one product.</summary>
    private sealed record ProductCard(string Name, string? Url, string? ImageUrl, decimal? Price, decimal? CompareAtPrice, string? Currency,
        bool? InStock, decimal? Quantity)
    {
        public static async ValueTask<ProductCard?> ReadAsync(FluidValue product, TemplateContext context)
        {
            if (product.Type is not (FluidValues.Dictionary or FluidValues.Object))
                return null;
            var name = await BlockValues.TextAsync(product, "name", context) ?? await BlockValues.TextAsync(product, "title", context);
            if (name is null)
                return null;
            var inStock = await product.GetValueAsync("in_stock", context);
            var currency = await BlockValues.TextAsync(product, "currency", context);
            return new ProductCard(
                name,
                BlockValues.WebAddress(await BlockValues.TextAsync(product, "url", context)),
                BlockValues.WebAddress(await BlockValues.TextAsync(product, "image_url", context) ?? await BlockValues.TextAsync(product, "image", context)),
                await BlockValues.NumberAsync(product, "current_price", context) ?? await BlockValues.NumberAsync(product, "price", context),
                await BlockValues.NumberAsync(product, "compare_at_price", context),
                Money.IsCurrencyCode(currency) ? currency!.ToUpperInvariant() : null,
                inStock.Type == FluidValues.Boolean ? inStock.ToBooleanValue() : null,
                await BlockValues.NumberAsync(product, "quantity", context));
        }
    }
}
