using Fluid;

namespace Nudge.Channels.Templates;

/// <summary>
/// A template version parsed and prepared for rendering, with the partial library it was compiled against.
/// Made once per version (see <see cref="TemplateEngine.Compile"/>) and rendered for any number of messages.
/// </summary>
public sealed class CompiledTemplate
{
    internal CompiledTemplate(TemplateKind kind, IReadOnlyDictionary<string, IFluidTemplate> parts, PartialLibrary library)
    {
        Kind = kind;
        Parts = parts;
        Library = library;
    }

    public TemplateKind Kind { get; }

    /// <summary>The partials and layouts this template renders with.</summary>
    public PartialLibrary Library { get; }

    internal IReadOnlyDictionary<string, IFluidTemplate> Parts { get; }

    /// <summary>Whether the template has this part (<c>subject</c>, <c>html</c>, ...).</summary>
    public bool Has(string part) => Parts.ContainsKey(part);
}
