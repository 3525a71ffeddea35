using System.Globalization;
using System.Text.Json;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;
using Nudge.Core.Segments;
using Nudge.Engine.Segments;
using Nudge.Storage.Segments;

namespace Nudge.Engine.Tests.Support;

/// <summary>Segments and events for engine tests, written the way users write them.</summary>
internal static class Segments
{
    public const string Workspace = "ws_test";
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    /// <summary>A compiled segment from a definition document.</summary>
    public static CompiledSegment Segment(string id, string definitionJson, long buildThrough = 0, bool ready = true, long version = 1)
    {
        using var json = JsonDocument.Parse(definitionJson);
        var read = SegmentDefinitionReader.Read(json.RootElement);
        Assert.True(read.Definition is not null, string.Join("; ", read.Errors.Select(e => $"{e.Field}: {e.Message}")));
        var record = new SegmentRecord(id, Workspace, read.Definition.Name, definitionJson, version,
            ready ? SegmentStatus.Ready : SegmentStatus.Building, buildThrough,
            new SegmentBuildProgress(ready ? "done" : "scanning", 0, 0, null, null), Start, Start);
        return CompiledSegment.Compile(record, read.Definition.Condition);
    }

    /// <summary>"Viewed shoes at least twice in the last 30 days."</summary>
    public static string ViewedShoesTwice => """
        {"name":"Shoe fans","condition":{"event":"Product Viewed","where":[{"property":"category","operator":"equals","value":"shoes"}],
         "count":{"atLeast":2},"window":{"last":30,"unit":"days"}}}
        """;

    public static LoggedEvent Viewed(long sequence, DateTimeOffset at, string category = "shoes", string profileId = "prf_1")
    {
        var body = JsonSerializer.Deserialize<JsonElement>(string.Create(CultureInfo.InvariantCulture,
            $$$"""{"type":"track","event":"Product Viewed","properties":{"category":"{{{category}}}"}}"""));
        return new LoggedEvent(sequence, Workspace, profileId, "m" + sequence, MessageType.Track, "Product Viewed", at, at, KeyKind.Server, body, EventIdentity.None);
    }
}
