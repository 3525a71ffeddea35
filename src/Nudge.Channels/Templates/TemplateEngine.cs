using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Fluid;
using Fluid.Ast;
using Fluid.Values;
using Nudge.Channels.Templates.Blocks;
using Nudge.Channels.Templates.Filters;
using Nudge.Channels.Templates.Rendering;

namespace Nudge.Channels.Templates;

/// <summary>
/// Nudge's Liquid: one configured parser and one set of template options for the whole process (a singleton),
/// checking templates when they are saved, compiling each template version once, and rendering it in a sandbox
/// for every message (ADR 0011).
/// </summary>
public sealed partial class TemplateEngine
{
    /// <summary>The tag that puts an email's HTML into a layout: <c>{% layout 'default' %}</c>.</summary>
    public const string LayoutTag = "layout";

    /// <summary>The variable through which a layout places the email's HTML.</summary>
    public const string ContentForLayout = "content_for_layout";

    private readonly FluidParser _parser;
    private readonly TemplateOptions _options;
    private readonly PartialLibraries _libraries = new();
    private readonly TextBuffers _buffers = new();
    private readonly ConcurrentDictionary<string, CompiledTemplate> _compiled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeZoneInfo> _zones = new(StringComparer.Ordinal);

    // Escapes what HTML needs escaped and leaves letters such as é or ü alone (HtmlEncoder.Default writes &#xE9;).
    private readonly HtmlEncoder _html = HtmlEncoder.Create(UnicodeRanges.All);

    public TemplateEngine(TemplateLimits? limits = null)
    {
        Limits = limits ?? new TemplateLimits();
        _parser = new NudgeParser(new FluidParserOptions { AllowLiquidTag = true });
        _parser.RegisterExpressionTag(LayoutTag, async (expression, _, _, context) =>
        {
            if (context is NudgeTemplateContext nudge)
                nudge.Layout = (await expression.EvaluateAsync(context)).ToStringValue();
            return Completion.Normal;
        });

        _options = new TemplateOptions
        {
            MaxSteps = Limits.MaxSteps,
            MaxRecursion = Limits.MaxRecursion,
            ModelNamesComparer = StringComparer.Ordinal,
            TimeZone = TimeZoneInfo.Utc,
            FileProvider = new PartialFiles(_libraries),
            #pragma warning disable FLUID001 // see PartialCache
            TemplateCache = new PartialCache(_libraries),
#pragma warning restore FLUID001
            TemplateParsed = (path, template) => Rewrite(template, LibraryKeyOf(path)),
            // Assignments are bounded by the rewriter (an Assigned callback would send every assign down Fluid's slow path).
            Captured = (name, value, _) => Bounded(name, value),
        };
        NudgeFilters.AddTo(_options.Filters);
    }

    /// <summary>The sandbox every render runs in.</summary>
    public TemplateLimits Limits { get; }

    /// <summary>Every filter a template may use.</summary>
    public IEnumerable<string> FilterNames => _options.Filters.Select(f => f.Key);

    /// <summary>
    /// Checks a template as it is saved: required parts, Liquid syntax (with line and column), unknown filters
    /// and, when <paramref name="partials"/> is given, that every partial and layout it names exists.
    /// </summary>
    /// <param name="kind">What the template is for.</param>
    /// <param name="parts">Its Liquid sources.</param>
    /// <param name="partials">The workspace's layouts and partials by name; null to skip reference checks.</param>
    /// <param name="segments">The ids and names of the workspace's segments; null to skip checking <c>segments["..."]</c>.</param>
    public IReadOnlyList<TemplateError> Check(TemplateKind kind, TemplateParts parts, IReadOnlyDictionary<string, TemplateKind>? partials,
        IReadOnlyCollection<string>? segments = null)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var errors = new List<TemplateError>();
        var used = PartsOf(kind);
        foreach (var (part, required) in used)
        {
            if (required && string.IsNullOrWhiteSpace(parts[part]))
                errors.Add(new TemplateError(part, null, null, $"{Article(kind)} {Name(kind)} template needs a {part}"));
        }
        foreach (var (part, source) in parts.Present())
        {
            if (!used.ContainsKey(part))
            {
                errors.Add(new TemplateError(part, null, null, $"{Article(kind)} {Name(kind)} template has no {part} (it uses {string.Join(", ", used.Keys)})"));
                continue;
            }
            errors.AddRange(CheckPart(kind, part, source, partials, segments));
        }
        return errors;
    }

    /// <summary>
    /// Parses and prepares a template for rendering, or returns the one compiled before for the same
    /// <paramref name="version"/> key and library. Parts must have passed <see cref="Check"/>.
    /// </summary>
    /// <param name="version">Names the exact version, e.g. <c>tpl_123@4</c>; null compiles without caching (previews of drafts).</param>
    /// <param name="kind">What the template is for.</param>
    /// <param name="parts">Its Liquid sources.</param>
    /// <param name="library">The layouts and partials it may use.</param>
    public CompiledTemplate Compile(string? version, TemplateKind kind, TemplateParts parts, PartialLibrary library)
    {
        ArgumentNullException.ThrowIfNull(parts);
        library = _libraries.Register(library ?? PartialLibrary.Empty);
        if (version is null)
            return CompileNow(kind, parts, library);

        var key = version + "|" + library.Key;
        if (_compiled.TryGetValue(key, out var cached))
            return cached;
        var compiled = CompileNow(kind, parts, library);
        if (_compiled.Count >= Limits.CachedTemplates)
            _compiled.Clear(); // Rare (thousands of live versions); the next renders compile again.
        return _compiled.GetOrAdd(key, compiled);
    }

    /// <summary>Renders one part of a compiled template for one reader.</summary>
    /// <param name="template">The compiled template.</param>
    /// <param name="part"><c>subject</c>, <c>preheader</c>, <c>html</c>, <c>text</c> or <c>body</c>.</param>
    /// <param name="variables">The data: profile, event, coupon, recommendations, links, ...</param>
    /// <param name="settings">The reader's locale, currency and time zone.</param>
    /// <param name="now">What <c>"now"</c> means in the template.</param>
    /// <exception cref="TemplateRenderException">The render failed (a sandbox limit, a missing partial, ...).</exception>
    public async ValueTask<RenderedPart> RenderAsync(
        CompiledTemplate template, string part, TemplateVariables variables, RenderSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(settings);
        if (!template.Parts.TryGetValue(part, out var parsed))
            return new RenderedPart("", []);

        var context = NewContext(template.Library, variables, settings, now);
        TextEncoder encoder = part == "html" ? _html : NullEncoder.Default;
        var buffer = _buffers.Rent();
        try
        {
            using var writer = new LimitedWriter(Limits.MaxOutputChars, buffer);
            // As Fluid's own RenderAsync does: the template's assigns live in a child scope, so `render` cannot see them.
            context.EnterChildScope();
            await parsed.RenderAsync(writer, encoder, context);
            if (part == "html" && context.Layout is { Length: > 0 } layout && layout != "none")
                return new RenderedPart(await RenderLayoutAsync(template.Library, layout, buffer.ToString(), context), context.Missing);
            return new RenderedPart(buffer.ToString(), context.Missing);
        }
        catch (Exception e) when (e is FluidException or TemplateLimitException or InvalidOperationException or FileNotFoundException
            or FormatException or ArgumentException or OverflowException or DivideByZeroException)
        {
            throw new TemplateRenderException(part, Explain(e), e);
        }
        finally
        {
            _buffers.Return(buffer);
        }
    }

    /// <summary>Renders a template straight from its sources, without checking or caching (conformance runs, benchmarks).</summary>
    internal ValueTask<RenderedPart> RenderSourceAsync(string source, TemplateVariables variables, PartialLibrary library, RenderSettings settings, DateTimeOffset now)
    {
        var compiled = Compile(null, TemplateKind.Partial, new TemplateParts(Body: source), library);
        return RenderAsync(compiled, "body", variables, settings, now);
    }

    /// <summary>Parses a part the way it will be rendered; null with an error when it does not parse.</summary>
    internal IFluidTemplate? Parse(string part, string source, string? libraryKey, out TemplateError? error)
    {
        if (!_parser.TryParse(source, out var template, out var message))
        {
            error = ParseError(part, message);
            return null;
        }
        error = null;
        return Rewrite(template, libraryKey);
    }

    private CompiledTemplate CompileNow(TemplateKind kind, TemplateParts parts, PartialLibrary library)
    {
        var compiled = new Dictionary<string, IFluidTemplate>(StringComparer.Ordinal);
        foreach (var (part, source) in parts.Present())
        {
            compiled[part] = Parse(part, source, library.Key, out var error)
                ?? throw new TemplateRenderException(part, error!.ToString());
        }
        return new CompiledTemplate(kind, compiled, library);
    }

    private IEnumerable<TemplateError> CheckPart(TemplateKind kind, string part, string source, IReadOnlyDictionary<string, TemplateKind>? partials,
        IReadOnlyCollection<string>? segments)
    {
        if (!_parser.TryParse(source, out var template, out var message))
        {
            yield return ParseError(part, message);
            yield break;
        }

        var inspector = new TemplateInspector();
        inspector.VisitTemplate(template);
        foreach (var filter in inspector.Filters.Distinct(StringComparer.Ordinal))
        {
            if (!_options.Filters.TryGetValue(filter, out _))
                yield return At(part, source, FilterUse(filter), $"Unknown filter '{filter}'");
        }
        foreach (var (filter, count) in inspector.FilterUses.Distinct())
        {
            if (FilterArity.Check(filter, count) is { } wrong)
                yield return At(part, source, FilterUse(filter), wrong);
        }
        if (inspector.Layouts.Count > 0 && (part != "html" || kind == TemplateKind.Layout))
            yield return At(part, source, LayoutUse(), "only the html part of an email can name a layout");
        foreach (var (tag, arguments) in inspector.Blocks)
        {
            foreach (var problem in BlockChecks.Problems(tag, arguments))
                yield return At(part, source, TagUse(tag), problem);
        }
        // A partial may be rendered with a `products` of its own (`{% render 'grid', products: event.products %}`).
        if (kind != TemplateKind.Partial && !inspector.Assigned.Contains("products"))
        {
            foreach (var feed in inspector.Feeds.Distinct(StringComparer.Ordinal).Where(f => !ProductFeeds.IsFeed(f)))
                yield return At(part, source, MemberUse("products", feed), $"no product feed '{feed}' (there are {string.Join(", ", ProductFeeds.All)})");
        }
        if (segments is not null && !inspector.Assigned.Contains("segments"))
        {
            foreach (var name in inspector.Segments.Distinct(StringComparer.Ordinal).Where(s => !segments.Contains(s)))
                yield return At(part, source, MemberUse("segments", name), $"no segment named '{name}' in this workspace");
        }
        if (kind == TemplateKind.Layout && !source.Contains(ContentForLayout, StringComparison.Ordinal))
            yield return new TemplateError(part, null, null, $"a layout must place the email with {{{{ {ContentForLayout} }}}}");
        if (partials is null)
            yield break;
        foreach (var name in inspector.Partials.Distinct(StringComparer.Ordinal))
        {
            if (!partials.TryGetValue(name, out var found) || found != TemplateKind.Partial)
                yield return At(part, source, Quoted(name), $"no partial named '{name}' in this workspace");
        }
        foreach (var name in inspector.Layouts.Distinct(StringComparer.Ordinal))
        {
            if (!partials.TryGetValue(name, out var found) || found != TemplateKind.Layout)
                yield return At(part, source, Quoted(name), $"no layout named '{name}' in this workspace");
        }
    }

    private async ValueTask<string> RenderLayoutAsync(PartialLibrary library, string name, string content, NudgeTemplateContext context)
    {
        if (!library.Sources.TryGetValue(name, out var source) || source.Kind != TemplateKind.Layout)
            throw new FileNotFoundException($"no layout named '{name}'");
        if (!library.Parsed.TryGetValue("layout:" + name, out var layout))
        {
            layout = Parse("html", source.Body, library.Key, out var error) ?? throw new TemplateLimitException($"layout '{name}': {error}");
            library.Parsed["layout:" + name] = layout;
        }

        context.SetValue(ContentForLayout, new StringValue(content, encode: false));
        var buffer = _buffers.Rent();
        try
        {
            using var writer = new LimitedWriter(Limits.MaxOutputChars, buffer);
            await layout.RenderAsync(writer, _html, context);
            return buffer.ToString();
        }
        finally
        {
            _buffers.Return(buffer);
        }
    }

    private NudgeTemplateContext NewContext(PartialLibrary library, TemplateVariables variables, RenderSettings settings, DateTimeOffset now)
    {
        var context = new NudgeTemplateContext(_options, settings)
        {
            Partials = library,
            Now = () => now,
            TimeZone = ZoneInfo(settings.Zone.Id),
        };
        var values = variables.Values;
        for (var i = 0; i < values.Count; i++)
            context.SetValue(values[i].Key, values[i].Value);
        return context;
    }

    private TimeZoneInfo ZoneInfo(string id) => _zones.GetOrAdd(id, static zone =>
        TimeZoneConverter.TZConvert.TryGetTimeZoneInfo(zone, out var info) ? info : TimeZoneInfo.Utc);

    private IFluidTemplate Rewrite(IFluidTemplate template, string? libraryKey) =>
        new NudgeRewriter(libraryKey, Limits).VisitTemplate(template);

    private static string? LibraryKeyOf(string path)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? path[..slash] : null;
    }

    private ValueTask<FluidValue> Bounded(string name, FluidValue value)
    {
        if (value.Type == FluidValues.String && value.ToStringValue().Length > Limits.MaxVariableChars)
            throw new TemplateLimitException($"'{name}' would hold more than {Limits.MaxVariableChars:N0} characters");
        return new ValueTask<FluidValue>(value);
    }

    private string Explain(Exception e) => e switch
    {
        TemplateLimitException => e.Message,
        InvalidOperationException when e.Message.Contains("maximum level of recursion", StringComparison.Ordinal) =>
            $"the template ran too long or nested too deep (at most {Limits.MaxSteps:N0} steps and {Limits.MaxRecursion} levels of include, render and layout)",
        FileNotFoundException f => $"no partial named '{LibraryPathName(f.Message)}'",
        _ => e.Message,
    };

    private static string LibraryPathName(string path)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? path[(slash + 1)..] : path;
    }

    private static Dictionary<string, bool> PartsOf(TemplateKind kind) => kind switch
    {
        TemplateKind.Email => new() { ["subject"] = true, ["preheader"] = false, ["html"] = true, ["text"] = false },
        TemplateKind.Push => new() { ["subject"] = true, ["body"] = true },
        _ => new() { ["body"] = true },
    };

    private static string Name(TemplateKind kind) => kind.ToString().ToLowerInvariant() switch
    {
        "sms" => "SMS",
        var other => other,
    };

    private static string Article(TemplateKind kind) => kind is TemplateKind.Email or TemplateKind.Sms ? "an" : "a";

    /// <summary>Fluid reports positions as <c>at (line:column)</c> in its messages.</summary>
    private static TemplateError ParseError(string part, string message)
    {
        var position = ParsePosition().Match(message);
        var text = message;
        var cut = text.IndexOf("\nSource:", StringComparison.Ordinal);
        if (cut >= 0)
            text = text[..cut];
        if (position.Success)
            text = text.Remove(position.Index, position.Length).TrimEnd();
        if (!position.Success)
            return new TemplateError(part, null, null, text);
        var line = int.Parse(position.Groups["line"].Value, CultureInfo.InvariantCulture);
        var column = int.Parse(position.Groups["column"].Value, CultureInfo.InvariantCulture);
        return new TemplateError(part, line, column, text);
    }

    private static TemplateError At(string part, string source, Regex use, string message)
    {
        var match = use.Match(source);
        if (!match.Success)
            return new TemplateError(part, null, null, message);
        var before = source.AsSpan(0, match.Index);
        var line = before.Count('\n') + 1;
        var column = match.Index - (before.LastIndexOf('\n') + 1) + 1;
        return new TemplateError(part, line, column, message);
    }

    private static Regex FilterUse(string filter) => new(@"\|\s*" + Regex.Escape(filter) + @"\b", RegexOptions.None, TimeSpan.FromSeconds(1));

    private static Regex Quoted(string name) => new("['\"]" + Regex.Escape(name) + "['\"]", RegexOptions.None, TimeSpan.FromSeconds(1));

    private static Regex TagUse(string tag) => new(@"\{%-?\s*" + Regex.Escape(tag) + @"\b", RegexOptions.None, TimeSpan.FromSeconds(1));

    private static Regex MemberUse(string root, string name) =>
        new(@"\b" + root + @"\s*(\.\s*" + Regex.Escape(name) + @"\b|\[\s*['""]" + Regex.Escape(name) + @"['""]\s*\])", RegexOptions.None, TimeSpan.FromSeconds(1));

    private static Regex LayoutUse() => new(@"\{%-?\s*layout\b", RegexOptions.None, TimeSpan.FromSeconds(1));

    [GeneratedRegex(@"\s*at \((?<line>\d+):(?<column>\d+)\)")]
    private static partial Regex ParsePosition();
}
