using System.Text.Json.Nodes;
using Nudge.Core.Segments;

namespace Nudge.Core.Flows;

/// <summary>
/// The JSON schema (draft 2020-12) of flow definitions, for editors, the UI and API clients. Flows use the segment
/// condition language, so the segment schema's definitions are copied in: the document stands alone.
/// <see cref="FlowDefinitionReader"/> is the authority; the schema describes the same language.
/// </summary>
public static class FlowSchema
{
    private const string ResourceName = "Nudge.Core.Flows.flow-definition.schema.json";

    /// <summary>The schema document.</summary>
    public static string Json { get; } = Load();

    private static string Load()
    {
        using var stream = typeof(FlowSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from Nudge.Core.");
        var flow = JsonNode.Parse(stream)!.AsObject();
        var flowDefs = flow["$defs"]!.AsObject();
        foreach (var (name, definition) in JsonNode.Parse(SegmentSchema.Json)!["$defs"]!.AsObject())
            flowDefs[name] = definition!.DeepClone();
        return flow.ToJsonString(new() { WriteIndented = true });
    }
}
