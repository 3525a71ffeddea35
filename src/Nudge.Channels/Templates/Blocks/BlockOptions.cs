using Fluid;
using Fluid.Ast;
using Fluid.Values;

namespace Nudge.Channels.Templates.Blocks;

/// <summary>The named options of a block tag (<c>columns: 3, button: "Shop now"</c>), evaluated for one render.</summary>
internal sealed class BlockOptions
{
    private readonly Dictionary<string, FluidValue> _values = new(StringComparer.Ordinal);

    public static async ValueTask<BlockOptions> EvaluateAsync(IReadOnlyList<FilterArgument>? arguments, TemplateContext context)
    {
        var options = new BlockOptions();
        foreach (var argument in arguments ?? [])
        {
            if (!string.IsNullOrEmpty(argument.Name))
                options._values[argument.Name] = await argument.Expression.EvaluateAsync(context);
        }
        return options;
    }

    public string? Text(string name) =>
        _values.TryGetValue(name, out var value) && !value.IsNil() ? value.ToStringValue() : null;

    public int Number(string name, int fallback, int min, int max) =>
        _values.TryGetValue(name, out var value) && !value.IsNil() ? (int)Math.Clamp(value.ToNumberValue(), min, max) : fallback;

    /// <summary>The <c>color</c> option when it is a safe CSS colour, else the blocks' dark grey.</summary>
    public string ButtonColour() => Text("color") is { } colour && BlockValues.IsColour(colour) ? colour : "#222222";

    public bool Flag(string name, bool fallback) =>
        _values.TryGetValue(name, out var value) && !value.IsNil() ? value.ToBooleanValue() : fallback;
}
