using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace Nudge.Channels.Templates.Email;

/// <summary>
/// How a marketing email is tracked: each link's replacement (a signed click-tracking URL) and the open pixel's URL.
/// A template turns tracking off for itself with <c>data-nudge-tracking="off"</c> on its <c>html</c> or <c>body</c>
/// element, and for one link with <c>data-nudge-track="off"</c> on the <c>a</c> element.
/// </summary>
/// <param name="TrackLink">The tracking URL for a link's target; null leaves the link as it is. Null: clicks are not tracked.</param>
/// <param name="OpenPixel">The open pixel's URL; null: opens are not tracked.</param>
public sealed record EmailTracking(Func<string, string?>? TrackLink, string? OpenPixel)
{
    /// <summary>The attribute (on html or body) that turns tracking off for a template.</summary>
    public const string TemplateSwitch = "data-nudge-tracking";

    /// <summary>The attribute (on a link) that leaves that link untracked.</summary>
    public const string LinkSwitch = "data-nudge-track";

    /// <summary>Rewrites the document's http(s) links and adds the open pixel at the end of the body. Returns what it did.</summary>
    internal TrackingApplied Apply(IHtmlDocument document)
    {
        var templateOff = IsOff(document.DocumentElement, TemplateSwitch) || IsOff(document.Body, TemplateSwitch);
        document.DocumentElement.RemoveAttribute(TemplateSwitch);
        document.Body?.RemoveAttribute(TemplateSwitch);
        var links = 0;
        foreach (var anchor in document.QuerySelectorAll("a[href]").ToList())
        {
            var off = IsOff(anchor, LinkSwitch);
            anchor.RemoveAttribute(LinkSwitch);
            if (templateOff || off || TrackLink is null)
                continue;
            var href = anchor.GetAttribute("href")!.Trim();
            if (!Uri.TryCreate(href, UriKind.Absolute, out var target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
                continue;
            if (TrackLink(href) is { } tracked)
            {
                anchor.SetAttribute("href", tracked);
                links++;
            }
        }

        var pixel = false;
        if (!templateOff && OpenPixel is not null && document.Body is { } body)
        {
            var img = document.CreateElement("img");
            img.SetAttribute("src", OpenPixel);
            img.SetAttribute("width", "1");
            img.SetAttribute("height", "1");
            img.SetAttribute("alt", "");
            img.SetAttribute("style", "display:block;width:1px;height:1px;border:0;margin:0;padding:0;");
            body.AppendChild(img);
            pixel = true;
        }
        return new TrackingApplied(links, pixel);
    }

    private static bool IsOff(IElement? element, string attribute) =>
        string.Equals(element?.GetAttribute(attribute)?.Trim(), "off", StringComparison.OrdinalIgnoreCase);
}

/// <summary>What tracking did to one email.</summary>
/// <param name="Links">How many links were rewritten.</param>
/// <param name="Pixel">True when the open pixel was added.</param>
public sealed record TrackingApplied(int Links, bool Pixel);
