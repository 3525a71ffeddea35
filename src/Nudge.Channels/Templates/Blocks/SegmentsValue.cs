using Fluid;
using Fluid.Values;

namespace Nudge.Channels.Templates.Blocks;

/// <summary>
/// The <c>segments</c> variable: <c>segments["VIP customers"]</c> (by name or id) is true when the recipient is in
/// that segment now. Membership is looked up the first time the template asks and kept for the message.
/// </summary>
internal sealed class SegmentsValue(IRenderLookups? lookups, IReadOnlyCollection<string>? given) : LazyObjectValue
{
    private IReadOnlyCollection<string>? _members = given;

    public override async ValueTask<FluidValue> GetValueAsync(string name, TemplateContext context)
    {
        if (_members is null && lookups is not null)
            _members = await lookups.SegmentsAsync();
        return _members is not null && _members.Contains(name) ? BooleanValue.True : BooleanValue.False;
    }
}
