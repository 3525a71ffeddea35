using Fluid.Ast;
using Fluid.Values;

namespace Nudge.Channels.Templates.Blocks;

/// <summary>What is wrong with a dynamic block's arguments, found when the template is saved.</summary>
internal static class BlockChecks
{
    public static IEnumerable<string> Problems(string tag, IReadOnlyList<FilterArgument> arguments)
    {
        var positional = arguments.Count(a => string.IsNullOrEmpty(a.Name));
        var options = tag == ProductGrid.Tag ? ProductGrid.Options : CouponBlock.Options;
        if (tag == ProductGrid.Tag && (arguments.Count == 0 || !string.IsNullOrEmpty(arguments[0].Name)))
            yield return $"'{tag}' needs the products first, e.g. {{% {tag} products.recommendations, columns: 3 %}}";
        else if (tag == ProductGrid.Tag && positional > 1)
            yield return $"'{tag}' takes one list of products, then named options ({string.Join(", ", options)})";
        if (tag == CouponBlock.Tag && positional > 0)
            yield return $"'{tag}' takes only named options ({string.Join(", ", options)})";

        foreach (var argument in arguments.Where(a => !string.IsNullOrEmpty(a.Name)))
        {
            if (!options.Contains(argument.Name, StringComparer.Ordinal))
            {
                yield return $"'{tag}' has no option '{argument.Name}' (it takes {string.Join(", ", options)})";
                continue;
            }
            if (argument.Expression is not LiteralExpression { Value: var value })
                continue;
            if (Wrong(argument.Name, value) is { } wrong)
                yield return $"'{tag}' option {argument.Name}: {wrong}";
        }
        if (tag == CouponBlock.Tag && arguments.Any(a => a.Name == "button") && !arguments.Any(a => a.Name == "url"))
            yield return $"'{tag}' option button: a button needs a url";
    }

    private static string? Wrong(string option, FluidValue value) => option switch
    {
        "columns" when value.Type != FluidValues.Number || value.ToNumberValue() is < 1 or > 4 => "must be a number from 1 to 4",
        "limit" when value.Type != FluidValues.Number || value.ToNumberValue() is < 1 or > 24 => "must be a number from 1 to 24",
        "color" when !BlockValues.IsColour(value.ToStringValue()) => "must be a hex colour such as #1a73e8 or a colour name",
        "url" when BlockValues.WebAddress(value.ToStringValue()) is null => "must be an http or https address",
        _ => null,
    };
}
