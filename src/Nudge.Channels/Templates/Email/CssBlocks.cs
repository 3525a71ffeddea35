using System.Text;

namespace Nudge.Channels.Templates.Email;

/// <summary>Splits a style sheet into its top-level blocks and a rule body into declarations, keeping the text as written.</summary>
internal static class CssBlocks
{
    /// <summary>A top-level block: a style rule (with its selector) or an at-rule (selector null, kept whole).</summary>
    public sealed record Block(string? Selector, string Body, string Text);

    public static IEnumerable<Block> Split(string css)
    {
        var text = StripComments(css);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
                i++;
            if (i >= text.Length)
                yield break;
            var open = IndexOutside(text, '{', i);
            var semicolon = IndexOutside(text, ';', i);
            if (text[i] == '@' && semicolon >= 0 && (open < 0 || semicolon < open))
            {
                // @import or @charset: a statement without a block.
                yield return new Block(null, "", text[i..(semicolon + 1)]);
                i = semicolon + 1;
                continue;
            }
            if (open < 0)
                yield break;
            var close = MatchingBrace(text, open);
            var prelude = text[i..open].Trim();
            var body = text[(open + 1)..close];
            yield return prelude.StartsWith('@') ? new Block(null, body, text[i..(close + 1)]) : new Block(prelude, body, text[i..(close + 1)]);
            i = close + 1;
        }
    }

    public static IEnumerable<string> SplitSelectors(string selectors)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selectors.Length; i++)
        {
            switch (selectors[i])
            {
                case '(' or '[':
                    depth++;
                    break;
                case ')' or ']':
                    depth--;
                    break;
                case ',' when depth == 0:
                    if (selectors[start..i].Trim() is { Length: > 0 } one)
                        yield return one;
                    start = i + 1;
                    break;
            }
        }
        if (selectors[start..].Trim() is { Length: > 0 } last)
            yield return last;
    }

    public static List<(string Property, string Value, bool Important)> Declarations(string body)
    {
        var declarations = new List<(string, string, bool)>();
        var start = 0;
        var text = StripComments(body);
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && (text[i] != ';' || InsideParenthesesOrQuotes(text, start, i)))
                continue;
            var declaration = text[start..i];
            start = i + 1;
            var colon = declaration.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
                continue;
            var property = declaration[..colon].Trim().ToLowerInvariant();
            var value = declaration[(colon + 1)..].Trim();
            var important = value.EndsWith("!important", StringComparison.OrdinalIgnoreCase);
            if (important)
                value = value[..^"!important".Length].TrimEnd();
            if (property.Length > 0 && value.Length > 0)
                declarations.Add((property, value, important));
        }
        return declarations;
    }

    private static bool InsideParenthesesOrQuotes(string text, int from, int at)
    {
        var depth = 0;
        char? quote = null;
        for (var i = from; i < at; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                if (c == q)
                    quote = null;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
        }
        return depth > 0 || quote is not null;
    }

    private static int IndexOutside(string text, char wanted, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] == wanted && !InsideParenthesesOrQuotes(text, from, i))
                return i;
            if (text[i] == '{' && wanted != '{')
                return -1;
        }
        return -1;
    }

    private static int MatchingBrace(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] == '{')
                depth++;
            else if (text[i] == '}' && --depth == 0)
                return i;
        }
        return text.Length - 1;
    }

    private static string StripComments(string css)
    {
        if (!css.Contains("/*", StringComparison.Ordinal))
            return css;
        var builder = new StringBuilder(css.Length);
        var i = 0;
        while (i < css.Length)
        {
            var start = css.IndexOf("/*", i, StringComparison.Ordinal);
            if (start < 0)
            {
                builder.Append(css, i, css.Length - i);
                break;
            }
            builder.Append(css, i, start - i);
            var end = css.IndexOf("*/", start + 2, StringComparison.Ordinal);
            i = end < 0 ? css.Length : end + 2;
        }
        return builder.ToString();
    }
}
