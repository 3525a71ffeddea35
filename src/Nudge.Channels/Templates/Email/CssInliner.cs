using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace Nudge.Channels.Templates.Email;

/// <summary>
/// Moves the rules of an email's <c>&lt;style&gt;</c> blocks into <c>style</c> attributes, because Gmail's apps and
/// Outlook ignore most style sheets. Media queries, <c>@font-face</c>, hover states and anything else that
/// cannot live in an attribute stay in one <c>&lt;style&gt;</c> block in the head. Declarations are copied as
/// written (no CSS engine rewrites <c>#f00</c> into <c>rgba(...)</c>, which older clients do not read).
/// </summary>
public static class CssInliner
{
    // Pseudo-classes that describe where an element is, which an attribute can express; the rest (hover, focus) cannot.
    private static readonly string[] StructuralPseudo = ["first-child", "last-child", "nth-child", "nth-last-child", "first-of-type", "last-of-type", "nth-of-type", "only-child", "not", "root"];

    public static void Inline(IDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var kept = new StringBuilder();
        var rules = new List<(string Selector, (int, int, int) Specificity, int Order, List<(string Property, string Value, bool Important)> Declarations)>();
        var order = 0;
        foreach (var style in document.QuerySelectorAll("style").OfType<IHtmlStyleElement>().ToList())
        {
            if (style.HasAttribute("data-nudge-keep"))
                continue;
            foreach (var block in CssBlocks.Split(style.TextContent))
            {
                if (block.Selector is null)
                {
                    kept.Append(block.Text).Append('\n');
                    continue;
                }
                var declarations = CssBlocks.Declarations(block.Body);
                foreach (var selector in CssBlocks.SplitSelectors(block.Selector))
                {
                    if (!Inlinable(selector))
                    {
                        kept.Append(selector).Append(" { ").Append(block.Body.Trim()).Append(" }\n");
                        continue;
                    }
                    rules.Add((selector, Specificity(selector), order++, declarations));
                }
            }
            style.Remove();
        }

        var applied = new Dictionary<IElement, Dictionary<string, (string Value, bool Important)>>();
        foreach (var rule in rules.OrderBy(r => r.Specificity).ThenBy(r => r.Order))
        {
            IEnumerable<IElement> matches;
            try
            {
                matches = document.QuerySelectorAll(rule.Selector);
            }
            catch (DomException)
            {
                kept.Append(rule.Selector).Append(" { ").Append(string.Join("; ", rule.Declarations.Select(d => d.Property + ": " + d.Value))).Append(" }\n");
                continue;
            }
            foreach (var element in matches)
            {
                if (!applied.TryGetValue(element, out var properties))
                    applied[element] = properties = new Dictionary<string, (string, bool)>(StringComparer.OrdinalIgnoreCase);
                foreach (var (property, value, important) in rule.Declarations)
                {
                    if (important || !properties.TryGetValue(property, out var existing) || !existing.Important)
                        properties[property] = (value, important);
                }
            }
        }

        foreach (var (element, properties) in applied)
        {
            // The element's own style attribute wins over the sheet, except over !important rules.
            foreach (var (property, value, _) in CssBlocks.Declarations(element.GetAttribute("style") ?? ""))
            {
                if (!properties.TryGetValue(property, out var existing) || !existing.Important)
                    properties[property] = (value, false);
            }
            element.SetAttribute("style", string.Join("; ", properties.Select(p => p.Key + ": " + p.Value.Value + (p.Value.Important ? " !important" : ""))));
        }

        if (kept.Length > 0)
        {
            var style = document.CreateElement("style");
            style.TextContent = "\n" + kept;
            (document.Head ?? document.DocumentElement).AppendChild(style);
        }
    }

    private static bool Inlinable(string selector)
    {
        if (selector.Contains("::", StringComparison.Ordinal) || selector.Contains('*', StringComparison.Ordinal))
            return false;
        for (var i = selector.IndexOf(':', StringComparison.Ordinal); i >= 0; i = selector.IndexOf(':', i + 1))
        {
            var name = new string(selector.Skip(i + 1).TakeWhile(c => char.IsAsciiLetter(c) || c == '-').ToArray());
            if (!StructuralPseudo.Contains(name, StringComparer.OrdinalIgnoreCase))
                return false;
        }
        return true;
    }

    /// <summary>CSS specificity (ids, classes and attributes and pseudo-classes, elements), good enough to order email rules.</summary>
    internal static (int Ids, int Classes, int Elements) Specificity(string selector)
    {
        int ids = 0, classes = 0, elements = 0;
        var startOfCompound = true;
        for (var i = 0; i < selector.Length; i++)
        {
            var c = selector[i];
            switch (c)
            {
                case '#':
                    ids++;
                    startOfCompound = false;
                    break;
                case '.' or '[' or ':':
                    classes++;
                    startOfCompound = false;
                    if (c == '[')
                        i = Math.Max(i, selector.IndexOf(']', i));
                    else if (c == ':' && selector.IndexOf('(', i) is var open and > 0 && selector.IndexOf(')', i) is var close && close > open
                        && selector[(i + 1)..open].All(char.IsAsciiLetterOrDigit))
                        i = close;
                    break;
                case ' ' or '>' or '+' or '~':
                    startOfCompound = true;
                    break;
                default:
                    if (startOfCompound && char.IsAsciiLetter(c))
                    {
                        elements++;
                        startOfCompound = false;
                    }
                    break;
            }
        }
        return (ids, classes, elements);
    }
}
