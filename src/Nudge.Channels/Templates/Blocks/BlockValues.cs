using Fluid;
using Fluid.Values;

namespace Nudge.Channels.Templates.Blocks;

/// <summary>Reading the fields of a product or coupon object while a block renders.</summary>
internal static class BlockValues
{
    public static async ValueTask<string?> TextAsync(FluidValue value, string name, TemplateContext context)
    {
        var member = await value.GetValueAsync(name, context);
        return member.IsNil() || member.ToStringValue() is not { Length: > 0 } text ? null : text;
    }

    public static async ValueTask<decimal?> NumberAsync(FluidValue value, string name, TemplateContext context)
    {
        var member = await value.GetValueAsync(name, context);
        return member.Type switch
        {
            FluidValues.Number => member.ToNumberValue(),
            FluidValues.String when decimal.TryParse(member.ToStringValue(), System.Globalization.NumberStyles.Number,
                System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    /// <summary>A web address fit for <c>href</c> or <c>src</c>: http or https only, so data from a browser cannot smuggle in <c>javascript:</c>.</summary>
    public static string? WebAddress(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? url
            : null;

    /// <summary>A button link as the blocks write it; <paramref name="href"/> and <paramref name="label"/> already HTML-encoded.</summary>
    public static System.Text.StringBuilder AppendButton(this System.Text.StringBuilder output, string cssClass, string href, string colour, string label) =>
        output.Append("<a class=\"").Append(cssClass).Append("\" href=\"").Append(href)
            .Append("\" style=\"display:inline-block;padding:8px 16px;background-color:").Append(colour)
            .Append(";color:#ffffff;text-decoration:none;border-radius:4px\">").Append(label).Append("</a>");

    /// <summary>A CSS colour that cannot break out of a style attribute: <c>#1a2b3c</c>, <c>#abc</c> or a colour name.</summary>
    public static bool IsColour(string value) =>
        value.Length is > 0 and <= 30 && (value[0] == '#' ? value.Length is 4 or 7 && value.AsSpan(1).ContainsAnyExcept(HexDigits) is false : value.All(char.IsAsciiLetter));

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
}
