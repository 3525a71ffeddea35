using System.Text;
using System.Text.Encodings.Web;
using Fluid;
using Fluid.Ast;
using Fluid.Values;
using Nudge.Channels.Templates.Filters;
using Nudge.Channels.Templates.Rendering;

namespace Nudge.Channels.Templates.Blocks;

/// <summary>
/// <c>{% coupon_block %}</c>: the run's coupon as a boxed code with what it gives (<c>10% off</c>, or the pool's
/// description) and its last day in the reader's language and time zone, optionally with a button. Writes nothing
/// when the run has no coupon (and the preview lists <c>coupon.code</c> as missing). In a text part, one line.
/// </summary>
internal static class CouponBlock
{
    public const string Tag = "coupon_block";

    /// <summary>The options the tag takes.</summary>
    public static readonly IReadOnlyList<string> Options = ["title", "button", "url", "color", "expiry"];

    public static async ValueTask<Completion> RenderAsync(IReadOnlyList<FilterArgument>? arguments, TextWriter writer, TextEncoder encoder, TemplateContext context)
    {
        var coupon = context.GetValue("coupon");
        var code = coupon.IsNil() ? null : await BlockValues.TextAsync(coupon, "code", context);
        if (code is null)
        {
            (context as NudgeTemplateContext)?.ReportMissing("coupon.code");
            return Completion.Normal;
        }

        var options = await BlockOptions.EvaluateAsync(arguments, context);
        var settings = RenderSettings.Of(context);
        var phrases = BlockPhrases.For(settings.Locale);
        var headline = options.Text("title") ?? await BlockValues.TextAsync(coupon, "description", context) ?? await OfferAsync(coupon, context, settings, phrases);
        var expires = options.Flag("expiry", true) ? await ExpiryAsync(coupon, context, settings, phrases) : null;
        if (encoder is not HtmlEncoder)
        {
            writer.Write(string.Join(" – ", new[] { headline, code, expires }.Where(s => s is { Length: > 0 })));
            return Completion.Normal;
        }

        var output = new StringBuilder(1024);
        output.Append("<table role=\"presentation\" class=\"nudge-coupon\" align=\"center\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"margin:16px auto;border:2px dashed #999999\"><tr><td style=\"padding:16px 24px;text-align:center\">");
        if (headline is { Length: > 0 })
            output.Append("<p class=\"nudge-coupon-title\" style=\"margin:0 0 8px\">").Append(encoder.Encode(headline)).Append("</p>");
        output.Append("<p class=\"nudge-coupon-code\" style=\"margin:0;font-size:24px;font-weight:bold;letter-spacing:2px;font-family:monospace\">")
            .Append(encoder.Encode(code)).Append("</p>");
        if (expires is not null)
            output.Append("<p class=\"nudge-coupon-expiry\" style=\"margin:8px 0 0;font-size:12px;color:#666666\">").Append(encoder.Encode(expires)).Append("</p>");
        if (options.Text("button") is { Length: > 0 } button && BlockValues.WebAddress(options.Text("url")) is { } url)
        {
            output.Append("<p style=\"margin:16px 0 0\">")
                .AppendButton("nudge-coupon-button", encoder.Encode(url), options.ButtonColour(), encoder.Encode(button)).Append("</p>");
        }
        writer.Write(output.Append("</td></tr></table>").ToString());
        return Completion.Normal;
    }

    /// <summary>What the coupon gives, from its type and value: <c>10% off</c>, <c>€5.00 off</c>, <c>Free shipping</c>.</summary>
    private static async ValueTask<string?> OfferAsync(FluidValue coupon, TemplateContext context, RenderSettings settings, BlockPhrases phrases)
    {
        var type = await BlockValues.TextAsync(coupon, "type", context);
        if (type == "freeShipping")
            return phrases.FreeShipping;
        if (await BlockValues.NumberAsync(coupon, "value", context) is not { } value)
            return null;
        var currency = await BlockValues.TextAsync(coupon, "currency", context);
        var amount = type == "percent"
            ? phrases.Percent(value, settings.Locale)
            : Money.Format(value, Money.IsCurrencyCode(currency) ? currency!.ToUpperInvariant() : settings.Currency, settings.Locale);
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, phrases.Off, amount);
    }

    private static async ValueTask<string?> ExpiryAsync(FluidValue coupon, TemplateContext context, RenderSettings settings, BlockPhrases phrases)
    {
        var expires = await coupon.GetValueAsync("expires_at", context);
        if (expires.IsNil() || !expires.TryGetDateTimeInput(context, out var at))
            return null;
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, phrases.ValidUntil, LocalDates.Format(at, settings.Zone, settings.Locale, "long"));
    }
}
