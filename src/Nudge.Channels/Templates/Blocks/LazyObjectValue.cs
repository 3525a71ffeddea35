using Fluid;
using Fluid.Values;

namespace Nudge.Channels.Templates.Blocks;

/// <summary>
/// A Liquid object whose members are looked up when a template reads them (<c>products.viewed</c>,
/// <c>segments["VIP"]</c>), not converted up front; as a whole it prints nothing.
/// </summary>
internal abstract class LazyObjectValue : FluidValue
{
    public override FluidValues Type => FluidValues.Dictionary;

    public abstract override ValueTask<FluidValue> GetValueAsync(string name, TemplateContext context);

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
