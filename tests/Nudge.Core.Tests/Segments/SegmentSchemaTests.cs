using System.Text.Json;
using Nudge.Core.Segments;

namespace Nudge.Core.Tests.Segments;

/// <summary>
/// The published schema is a contract editors and API clients rely on: these tests tie its lists to the code, so
/// an operator or property added to one and not the other fails here.
/// </summary>
public sealed class SegmentSchemaTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse(SegmentSchema.Json).RootElement;

    private static JsonElement Def(string name) => Schema.GetProperty("$defs").GetProperty(name);

    private static string[] Enum(string def) => [.. Def(def).GetProperty("enum").EnumerateArray().Select(e => e.GetString()!)];

    private static string[] OperatorsFor(ProfilePropertyKind kind) =>
        [.. System.Enum.GetValues<ValueOperator>().Where(op => SegmentDefinitionReader.Applies(op, kind)).Select(SegmentDefinitionReader.OperatorName)];

    private static string[] BuiltIns(ProfilePropertyKind kind) =>
        [.. ProfileProperties.BuiltInNames.Where(name => ProfileProperties.KindOf(name) == kind)];

    [Fact]
    public void The_schema_is_embedded_json_of_draft_2020_12() =>
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", Schema.GetProperty("$schema").GetString());

    [Fact]
    public void The_schema_mentions_every_operator_name()
    {
        foreach (var op in System.Enum.GetValues<ValueOperator>())
            Assert.Contains($"\"{SegmentDefinitionReader.OperatorName(op)}\"", SegmentSchema.Json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_schema_lists_exactly_the_operators_of_the_reader() =>
        Assert.Equal(System.Enum.GetValues<ValueOperator>().Select(SegmentDefinitionReader.OperatorName), Enum("operator"));

    [Theory]
    [InlineData("textOperator", ProfilePropertyKind.Text)]
    [InlineData("numberOperator", ProfilePropertyKind.Number)]
    [InlineData("dateOperator", ProfilePropertyKind.Date)]
    public void The_schema_allows_each_property_type_the_operators_the_reader_allows(string def, ProfilePropertyKind kind) =>
        Assert.Equal(OperatorsFor(kind).Order(StringComparer.Ordinal), Enum(def).Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("textProperty", ProfilePropertyKind.Text)]
    [InlineData("numberProperty", ProfilePropertyKind.Number)]
    [InlineData("dateProperty", ProfilePropertyKind.Date)]
    public void The_schema_lists_every_built_in_property_with_its_type(string def, ProfilePropertyKind kind) =>
        Assert.Equal(BuiltIns(kind).Order(StringComparer.Ordinal), Enum(def).Order(StringComparer.Ordinal));

    [Fact]
    public void Every_object_in_the_schema_refuses_unknown_keys()
    {
        var objects = Descendants(Schema).Where(IsObjectSchema).ToList();

        Assert.NotEmpty(objects);
        Assert.All(objects, s => Assert.False(s.GetProperty("additionalProperties").GetBoolean()));
    }

    [Fact]
    public void The_schema_has_a_definition_for_every_node_kind()
    {
        string[] kinds = ["and", "or", "not", "property", "event", "aggregate", "consent", "near", "list", "segment"];

        Assert.Equal(
            kinds.Select(kind => $"#/$defs/{kind}"),
            Def("condition").GetProperty("oneOf").EnumerateArray().Select(r => r.GetProperty("$ref").GetString()));
    }

    private static bool IsObjectSchema(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object
        && schema.TryGetProperty("type", out var type)
        && type.ValueKind == JsonValueKind.String
        && type.ValueEquals("object");

    private static IEnumerable<JsonElement> Descendants(JsonElement element)
    {
        yield return element;
        var children = element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().Select(p => p.Value),
            JsonValueKind.Array => element.EnumerateArray(),
            _ => [],
        };
        foreach (var child in children.SelectMany(Descendants))
            yield return child;
    }
}
