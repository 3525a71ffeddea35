using Fluid;

namespace Nudge.Channels.Templates.Rendering;

/// <summary>
/// The state of one render: the reader's settings, the variables found missing, and the layout the template
/// asked for. One per rendered part; never shared between threads.
/// </summary>
internal sealed class NudgeTemplateContext : TemplateContext
{
    private List<string>? _missing;

    public NudgeTemplateContext(TemplateOptions options, RenderSettings settings)
        : base(options, StringComparer.Ordinal)
    {
        Settings = settings;
    }

    public RenderSettings Settings { get; }

    /// <summary>The layout named by <c>{% layout 'name' %}</c>; <c>none</c> or null for no layout.</summary>
    public string? Layout { get; set; }

    /// <summary>Variable paths that were written out but had no value, in the order first seen.</summary>
    public IReadOnlyList<string> Missing => (IReadOnlyList<string>?)_missing ?? [];

    /// <summary>The library the rendered template takes its partials and layouts from.</summary>
    public PartialLibrary? Partials { get; init; }

    public void ReportMissing(string path)
    {
        _missing ??= [];
        // A handful of paths per template: a list keeps them in the order the author wrote them.
        if (!_missing.Contains(path))
            _missing.Add(path);
    }
}
