using System.Text;
using AngleSharp.Dom;

namespace Nudge.Channels.Templates.Email;

/// <summary>
/// The plain-text part of an email written from its HTML: paragraphs and headings on lines of their own,
/// list items with a dash or a number, links as <c>text (url)</c>, hidden elements and images without
/// alternative text left out.
/// </summary>
public static class HtmlToText
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase) { "head", "style", "script", "title", "template", "noscript" };
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "article", "aside", "blockquote", "center", "div", "dl", "dt", "dd", "fieldset", "figure", "footer", "form", "header",
        "main", "nav", "section", "table", "tbody", "thead", "tfoot", "tr", "ul", "ol", "pre",
    };
    private static readonly HashSet<string> Paragraphs = new(StringComparer.OrdinalIgnoreCase) { "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table" };

    public static string Convert(IDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var writer = new TextBuilder();
        Walk(document.Body ?? document.DocumentElement, writer, listIndex: null);
        return writer.ToString();
    }

    private static void Walk(INode node, TextBuilder text, int[]? listIndex)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText t:
                    text.Words(t.Data);
                    break;
                case IElement e:
                    Element(e, text, listIndex);
                    break;
            }
        }
    }

    private static void Element(IElement e, TextBuilder text, int[]? listIndex)
    {
        var name = e.LocalName;
        if (Skipped.Contains(name) || Hidden(e))
            return;
        switch (name)
        {
            case "br":
                text.Line();
                return;
            case "hr":
                text.Paragraph();
                text.Raw("--------");
                text.Paragraph();
                return;
            case "img":
                if (e.GetAttribute("alt") is { Length: > 0 } alt)
                    text.Words(alt);
                return;
            case "a":
                Link(e, text, listIndex);
                return;
            case "h1" or "h2":
                text.Paragraph();
                var heading = new TextBuilder();
                Walk(e, heading, listIndex);
                var title = heading.ToString().Trim();
                text.Raw(title);
                text.Line();
                text.Raw(new string(name == "h1" ? '=' : '-', Math.Min(title.Length, 60)));
                text.Paragraph();
                return;
            case "li":
                text.Line();
                text.Raw(listIndex is null ? "- " : $"{++listIndex[0]}. ");
                Walk(e, text, null);
                text.Line();
                return;
            case "ol":
                text.Paragraph();
                Walk(e, text, [0]);
                text.Paragraph();
                return;
            case "ul":
                text.Paragraph();
                Walk(e, text, null);
                text.Paragraph();
                return;
            case "td" or "th":
                text.Words(" ");
                Walk(e, text, listIndex);
                text.Words(" ");
                return;
        }

        var paragraph = Paragraphs.Contains(name);
        var block = paragraph || Blocks.Contains(name);
        if (paragraph)
            text.Paragraph();
        else if (block)
            text.Line();
        Walk(e, text, listIndex);
        if (paragraph)
            text.Paragraph();
        else if (block)
            text.Line();
    }

    private static void Link(IElement a, TextBuilder text, int[]? listIndex)
    {
        var inner = new TextBuilder();
        Walk(a, inner, listIndex);
        var label = inner.ToString().Trim();
        var href = a.GetAttribute("href")?.Trim();
        if (string.IsNullOrEmpty(href) || href.StartsWith('#') || href.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
        {
            text.Words(label);
            return;
        }
        var target = href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? href["mailto:".Length..] : href;
        if (label.Length == 0 || label == target)
            text.Words(target);
        else
            text.Words($"{label} ({target})");
    }

    private static bool Hidden(IElement e)
    {
        if (e.HasAttribute("hidden"))
            return true;
        var style = e.GetAttribute("style");
        return style is not null && (style.Replace(" ", "", StringComparison.Ordinal).Contains("display:none", StringComparison.OrdinalIgnoreCase)
            || style.Contains("mso-hide:all", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Collects words with single spaces, and line and paragraph breaks without piling them up.</summary>
    private sealed class TextBuilder
    {
        private readonly StringBuilder _text = new();
        private int _pendingBreaks;
        private bool _pendingSpace;

        public void Words(string words)
        {
            foreach (var c in words)
            {
                if (char.IsWhiteSpace(c) || c == '\u00A0' || c == '\u200C' || c == '\u034F')
                {
                    _pendingSpace = _text.Length > 0;
                    continue;
                }
                Flush();
                _text.Append(c);
            }
        }

        public void Raw(string text)
        {
            if (text.Length == 0)
                return;
            Flush();
            _text.Append(text);
        }

        public void Line() => _pendingBreaks = Math.Max(_pendingBreaks, _text.Length > 0 ? 1 : 0);

        public void Paragraph() => _pendingBreaks = Math.Max(_pendingBreaks, _text.Length > 0 ? 2 : 0);

        private void Flush()
        {
            if (_pendingBreaks > 0)
            {
                while (_text.Length > 0 && _text[^1] == ' ')
                    _text.Length--;
                _text.Append('\n', _pendingBreaks);
            }
            else if (_pendingSpace && _text.Length > 0 && _text[^1] is not ' ' and not '\n')
            {
                _text.Append(' ');
            }
            _pendingBreaks = 0;
            _pendingSpace = false;
        }

        public override string ToString() => _text.ToString().Trim() + (_text.Length > 0 ? "\n" : "");
    }
}
