namespace Nudge.Core.Segments;

/// <summary>
/// The JSON schema (draft 2020-12) of segment definitions, for editors and API clients. It is a published
/// contract: <see cref="SegmentDefinitionReader"/> is the authority, the schema describes the same language.
/// </summary>
public static class SegmentSchema
{
    private const string ResourceName = "Nudge.Core.Segments.segment-definition.schema.json";

    /// <summary>The schema document.</summary>
    public static string Json { get; } = Load();

    private static string Load()
    {
        using var stream = typeof(SegmentSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from Nudge.Core.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
