using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Fluid;

namespace Nudge.Channels.Templates;

/// <summary>A layout or partial as a template renders it: its name in the workspace and its Liquid body.</summary>
/// <param name="Name">The name templates use: <c>{% render 'footer' %}</c>, <c>{% layout 'default' %}</c>.</param>
/// <param name="Kind"><see cref="TemplateKind.Layout"/> or <see cref="TemplateKind.Partial"/>.</param>
/// <param name="Body">The Liquid source.</param>
public sealed record PartialSource(string Name, TemplateKind Kind, string Body);

/// <summary>
/// The layouts and partials a template can use (a workspace's, at one moment). Its <see cref="Key"/> follows
/// its content, so a template compiled against it is compiled again when a partial changes; the partials
/// themselves are parsed once, on first use, and kept here.
/// </summary>
public sealed class PartialLibrary
{
    private readonly Dictionary<string, PartialSource> _sources;

    public PartialLibrary(IEnumerable<PartialSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        _sources = new Dictionary<string, PartialSource>(StringComparer.Ordinal);
        foreach (var source in sources)
            _sources[source.Name] = source;

        var hash = new StringBuilder();
        foreach (var source in _sources.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
            hash.Append(source.Name).Append('\0').Append(source.Kind).Append('\0').Append(source.Body).Append('\0');
        // Hex only: the key is the folder of partial paths, so it must hold no '/' and no '.'.
        Key = "lib" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hash.ToString())))[..24];
    }

    /// <summary>A library without partials.</summary>
    public static PartialLibrary Empty { get; } = new([]);

    /// <summary>Changes whenever a name, kind or body changes.</summary>
    public string Key { get; }

    /// <summary>Every layout and partial, by name.</summary>
    public IReadOnlyDictionary<string, PartialSource> Sources => _sources;

    /// <summary>Partials parsed so far (and rewritten for Nudge), by name.</summary>
    internal ConcurrentDictionary<string, IFluidTemplate> Parsed { get; } = new(StringComparer.Ordinal);
}
