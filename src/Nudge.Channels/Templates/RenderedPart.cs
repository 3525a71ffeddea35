namespace Nudge.Channels.Templates;

/// <summary>One rendered part and the variables it wrote out that had no value.</summary>
/// <param name="Output">The rendered text.</param>
/// <param name="Missing">Paths such as <c>profile.first_name</c> that rendered empty because the data did not have them.</param>
public sealed record RenderedPart(string Output, IReadOnlyList<string> Missing);

/// <summary>A render that failed: a sandbox limit, a missing partial, a filter that could not work.</summary>
public sealed class TemplateRenderException(string part, string message, Exception? inner = null)
    : Exception($"{part}: {message}", inner)
{
    /// <summary>The part whose render failed.</summary>
    public string Part { get; } = part;

    /// <summary>What went wrong, without the part.</summary>
    public string Reason { get; } = message;
}
