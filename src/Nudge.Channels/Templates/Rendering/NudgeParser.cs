using Fluid;
using Nudge.Channels.Templates.Blocks;

namespace Nudge.Channels.Templates.Rendering;

/// <summary>Liquid as Nudge parses it: standard Liquid plus the dynamic blocks (<c>product_grid</c>, <c>coupon_block</c>).</summary>
internal sealed class NudgeParser : FluidParser
{
    public NudgeParser(FluidParserOptions options) : base(options)
    {
        // Arguments as a filter takes them: the products first, then named options (`products.viewed, columns: 3`).
        RegisterParserTag(ProductGrid.Tag,
            ArgumentsList.ElseError($"'{ProductGrid.Tag}' needs the products to show, e.g. {{% {ProductGrid.Tag} products.recommendations, columns: 3 %}}"),
            ProductGrid.RenderAsync);
        RegisterParserTag(CouponBlock.Tag, ZeroOrOne(ArgumentsList), CouponBlock.RenderAsync);
    }
}
