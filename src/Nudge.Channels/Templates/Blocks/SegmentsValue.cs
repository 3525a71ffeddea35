using Fluid;
using Fluid.Values;

namespace Nudge.Channels.Templates.Blocks;

/// <summary>
/// The <c>segments</c> variable: <c>segments["VIP customers"]</c> (by name or id) is true when the recipient is in
/// that segment now. Membership is looked up the first time the template asks and kept for the message.
/// </summary>
internal sealed class SegmentsValue(IRenderLookups? lookups, IReadOnlyCollection<string>? given) : FluidValue
{
    private IReadOnlyCollection<string>? _members = given;

    public override FluidValues Type => FluidValues.Dictionary;

    public override async ValueTask<FluidValue> GetValueAsync(string name, TemplateContext context)
    {
        if (_members is null && lookups is not null)
            _members = await lookups.SegmentsAsync();
        return _members is not null && _members.Contains(name) ? BooleanValue.True : BooleanValue.False;
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
