using Fluid;
using Fluid.Values;

namespace Nudge.Channels.Templates.Blocks;

/// <summary>
/// The <c>products</c> variable: each feed is fetched the first time the template reads it and kept for the other
/// parts of the same message. Feeds given with the render data (previews, tests) are used as they are.
/// </summary>
internal sealed class ProductFeedsValue(IRenderLookups? lookups, IReadOnlyDictionary<string, FluidValue> given) : LazyObjectValue
{
    private readonly Dictionary<string, FluidValue> _fetched = new(StringComparer.Ordinal);

    public override async ValueTask<FluidValue> GetValueAsync(string name, TemplateContext context)
    {
        if (given.TryGetValue(name, out var value) || _fetched.TryGetValue(name, out value))
            return value;
        if (lookups is null || !ProductFeeds.IsFeed(name))
            return NilValue.Instance;
        var products = await lookups.ProductsAsync(name);
        value = TemplateVariables.Convert(System.Text.Json.JsonSerializer.SerializeToElement(products));
        _fetched[name] = value;
        return value;
    }
}
