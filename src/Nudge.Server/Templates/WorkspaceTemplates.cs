using System.Text.Json;
using Nudge.Channels.Templates;
using Nudge.Storage.Templates;

namespace Nudge.Server.Templates;

/// <summary>Reads a workspace's templates from the store into the engine's terms: parts, kinds, partial libraries, compiled versions.</summary>
public sealed class WorkspaceTemplates(TemplateStore store, TemplateEngine engine, Nudge.Engine.Segments.SegmentCatalog segments)
{
    private static readonly JsonSerializerOptions PartsJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(TemplateParts parts) => JsonSerializer.Serialize(parts, PartsJson);

    public static TemplateParts Parts(string json) => JsonSerializer.Deserialize<TemplateParts>(json, PartsJson) ?? new TemplateParts();

    public static TemplateKind Kind(string kind) => Enum.Parse<TemplateKind>(kind, ignoreCase: true);

    public static string KindName(TemplateKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The workspace's layouts and partials by name, for the checks at save time.</summary>
    public async Task<IReadOnlyDictionary<string, TemplateKind>> PartialKindsAsync(string workspaceId, CancellationToken ct) =>
        (await store.ListAsync(workspaceId, ct, "layout", "partial")).ToDictionary(t => t.Name, t => Kind(t.Kind), StringComparer.Ordinal);

    /// <summary>The ids and names of the workspace's segments, which templates may test with <c>segments["..."]</c>.</summary>
    public IReadOnlyCollection<string> SegmentNames(string workspaceId) =>
        segments.For(workspaceId).ById.Values.SelectMany(s => new[] { s.Id, s.Record.Name }).ToHashSet(StringComparer.Ordinal);

    /// <summary>The workspace's current layouts and partials.</summary>
    public async Task<PartialLibrary> LibraryAsync(string workspaceId, CancellationToken ct) =>
        new((await store.ListAsync(workspaceId, ct, "layout", "partial"))
            .Select(t => new PartialSource(t.Name, Kind(t.Kind), Parts(t.Parts).Body ?? "")));

    /// <summary>A version compiled against the workspace's current layouts and partials (cached by the engine).</summary>
    public async Task<CompiledTemplate> CompileAsync(string workspaceId, TemplateVersionRecord version, CancellationToken ct) =>
        engine.Compile($"{version.TemplateId}@{version.Version}", Kind(version.Kind), Parts(version.Parts), await LibraryAsync(workspaceId, ct));
}
