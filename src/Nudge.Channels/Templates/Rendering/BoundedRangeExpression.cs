using Fluid;
using Fluid.Ast;
using Fluid.Values;

namespace Nudge.Channels.Templates.Rendering;

/// <summary>
/// <c>(from..to)</c> with a ceiling on its length: Liquid builds the whole range as a list before a loop counts
/// a single step, so <c>(1..2000000000)</c> would take the memory before the step limit could stop it.
/// </summary>
internal sealed class BoundedRangeExpression(RangeExpression inner, int maxItems) : Expression
{
    public override async ValueTask<FluidValue> EvaluateAsync(TemplateContext context)
    {
        var from = (await inner.From.EvaluateAsync(context)).ToNumberValue();
        var to = (await inner.To.EvaluateAsync(context)).ToNumberValue();
        if (to - from + 1 > maxItems)
            throw new TemplateLimitException($"a range may have at most {maxItems} items; ({from}..{to}) has {to - from + 1}");
        return await inner.EvaluateAsync(context);
    }
}
