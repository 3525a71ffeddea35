namespace Nudge.Channels.Templates;

/// <summary>
/// The Liquid sources of a template. Which parts are used depends on the <see cref="TemplateKind"/>: an email has
/// <see cref="Subject"/>, <see cref="Preheader"/>, <see cref="Html"/> and <see cref="Text"/>; a text message has
/// <see cref="Body"/>; a push notification has <see cref="Subject"/> (its title) and <see cref="Body"/>; layouts and
/// partials have <see cref="Body"/>.
/// </summary>
/// <param name="Subject">Email subject or push title.</param>
/// <param name="Preheader">The preview line inbox lists show after the subject (email).</param>
/// <param name="Html">The HTML body (email).</param>
/// <param name="Text">The plain-text body (email); generated from the HTML when empty.</param>
/// <param name="Body">The body of a text message, push notification, layout or partial.</param>
public sealed record TemplateParts(string? Subject = null, string? Preheader = null, string? Html = null, string? Text = null, string? Body = null)
{
    /// <summary>The part names, as they appear in the API and in error reports.</summary>
    public static readonly IReadOnlyList<string> Names = ["subject", "preheader", "html", "text", "body"];

    /// <summary>The source of a part by its API name.</summary>
    public string? this[string part] => part switch
    {
        "subject" => Subject,
        "preheader" => Preheader,
        "html" => Html,
        "text" => Text,
        "body" => Body,
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, "unknown template part"),
    };

    /// <summary>The parts that are set, with their API names, in a fixed order.</summary>
    public IEnumerable<(string Part, string Source)> Present()
    {
        foreach (var name in Names)
        {
            if (this[name] is { } source)
                yield return (name, source);
        }
    }
}
