using Fluid;
using Fluid.Values;

namespace Nudge.Channels.Templates.Blocks;

/// <summary>
/// The <c>products</c> variable: each feed is fetched the first time the template reads it and kept for the other
/// parts of the same message. Feeds given with the render data (previews, tests) are used as they are.
/// </summary>
internal sealed class ProductFeedsValue(IRenderLookups? lookups, IReadOnlyDictionary<string, FluidValue> given) : FluidValue
{
    private readonly Dictionary<string, FluidValue> _fetched = new(StringComparer.Ordinal);

    public override FluidValues Type => FluidValues.Dictionary;

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

    public override ValueTask<FluidValue> GetIndexAsync(FluidValue index, TemplateContext context) =>
        GetValueAsync(index.ToStringValue(), context);

    public override bool Equals(FluidValue other) => ReferenceEquals(this, other);

    public override bool ToBooleanValue() => true;

    public override decimal ToNumberValue() => 0;

    public override string ToStringValue() => "";

    public override object ToObjectValue() => this;

    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
}
