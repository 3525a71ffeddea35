using System.Text.Json;
using Nudge.Core.Ingestion;
using Nudge.Core.Segments;

namespace Nudge.Core.Tests.Segments;

/// <summary>Reads segment definitions written as JSON text, so a test shows the document a shop owner would write.</summary>
internal static class Definitions
{
    public static SegmentReadResult Read(string json) => SegmentDefinitionReader.Read(JsonElement.Parse(json));

    /// <summary>Reads a definition named "Test" whose condition is <paramref name="conditionJson"/>.</summary>
    public static SegmentReadResult ReadCondition(string conditionJson) =>
        Read($$"""{ "name": "Test", "condition": {{conditionJson}} }""");

    /// <summary>The condition of a definition that is expected to be valid.</summary>
    public static Condition Valid(string conditionJson)
    {
        var result = ReadCondition(conditionJson);
        Assert.Empty(result.Errors);
        return result.Definition!.Condition;
    }

    public static T Valid<T>(string conditionJson) where T : Condition => Assert.IsType<T>(Valid(conditionJson));

    /// <summary>The one error of a condition that is expected to be invalid for one reason.</summary>
    public static FieldError SingleError(string conditionJson)
    {
        var result = ReadCondition(conditionJson);
        Assert.Null(result.Definition);
        return Assert.Single(result.Errors);
    }

    /// <summary>Asserts that the error names <paramref name="field"/> and that its message says each of <paramref name="says"/>.</summary>
    public static void Names(this FieldError error, string field, params string[] says)
    {
        Assert.Equal(field, error.Field);
        foreach (var part in says)
            Assert.Contains(part, error.Message, StringComparison.Ordinal);
    }
}
