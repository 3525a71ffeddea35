using System.Net;
using System.Text;
using AngleSharp.Html.Parser;
using Nudge.Channels.Templates.Rendering;

namespace Nudge.Channels.Templates.Email;

/// <summary>
/// Renders an email template for one recipient: subject, preheader, HTML (in its layout, CSS inlined, the
/// preheader hidden at the top) and the plain-text part (the template's own or written from the HTML).
/// </summary>
public sealed class EmailRenderer(TemplateEngine engine)
{
    // Fills the preview after the preheader, so inboxes do not run on into the first words of the body.
    private static readonly string PreviewFiller = string.Concat(Enumerable.Repeat("&#847;&zwnj;&nbsp;", 60));

    /// <summary>
    /// Renders the email; with <paramref name="tracking"/>, the HTML's links are rewritten and the open pixel added
    /// (the plain-text part keeps the links as written: people read and copy them).
    /// </summary>
    /// <exception cref="TemplateRenderException">A part failed to render.</exception>
    public async Task<RenderedEmail> RenderAsync(
        CompiledTemplate template, TemplateVariables variables, RenderSettings settings, DateTimeOffset now, EmailTracking? tracking = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        var missing = new List<MissingVariable>();
        async Task<string> PartAsync(string part)
        {
            var rendered = await engine.RenderAsync(template, part, variables, settings, now);
            missing.AddRange(rendered.Missing.Select(path => new MissingVariable(part, path)));
            return rendered.Output;
        }

        var subject = OneLine(await PartAsync("subject"));
        var preheader = template.Has("preheader") ? OneLine(await PartAsync("preheader")) : null;
        var html = Finish(await PartAsync("html"), preheader, out var document);
        var text = template.Has("text") ? await PartAsync("text") : HtmlToText.Convert(document);
        TrackingApplied? applied = null;
        if (tracking is not null)
        {
            applied = tracking.Apply(document);
            html = Serialize(document, html.Length + 512);
        }
        return new RenderedEmail(subject, string.IsNullOrEmpty(preheader) ? null : preheader, html, text, missing) { Tracking = applied };
    }

    /// <summary>Inlines the CSS and places the preheader; returns the final HTML and its document.</summary>
    internal static string Finish(string html, string? preheader, out AngleSharp.Html.Dom.IHtmlDocument document)
    {
        document = new HtmlParser().ParseDocument(html);
        CssInliner.Inline(document);
        if (!string.IsNullOrEmpty(preheader) && document.Body is { } body)
        {
            var hidden = document.CreateElement("div");
            hidden.SetAttribute("style",
                "display:none;font-size:1px;color:#ffffff;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;mso-hide:all;");
            hidden.InnerHtml = WebUtility.HtmlEncode(preheader) + PreviewFiller;
            body.Prepend(hidden);
        }
        return Serialize(document, html.Length + 1024);
    }

    private static string Serialize(AngleSharp.Html.Dom.IHtmlDocument document, int capacity)
    {
        var output = new StringBuilder(capacity);
        using (var writer = new StringWriter(output))
            document.ToHtml(writer, AngleSharp.Html.HtmlMarkupFormatter.Instance);
        return output.ToString();
    }

    private static string OneLine(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
