using System.Collections.Immutable;
using System.Text.Json;

namespace Nudge.Core.Segments;

/// <summary>
/// Reads segment definitions, and bare conditions for flow filters, from their JSON language
/// (<c>docs/segments.md</c>, <see cref="SegmentSchema"/>). Every problem is reported, each named by its JSON
/// path, so a shop owner fixes a definition in one round trip; a definition with any error is not returned.
/// </summary>
public static partial class SegmentDefinitionReader
{
    /// <summary>The longest segment name, after trimming.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The longest description.</summary>
    public const int MaxDescriptionLength = 2000;

    /// <summary>How deep conditions may nest; the top condition is level 1.</summary>
    public const int MaxDepth = 10;

    /// <summary>How many condition nodes (groups included, <c>where</c> filters not) one definition may hold.</summary>
    public const int MaxNodes = 100;

    /// <summary>The longest event name an event condition may name.</summary>
    public const int MaxEventNameLength = 200;

    // Half the earth's circumference: every point is within it, so a larger radius can only be a typo.
    private const int MaxNearKilometers = 20000;

    private static readonly string[] _definitionKeys = ["name", "description", "condition"];

    /// <summary>Reads a whole definition: <c>{ "name": ..., "description": ..., "condition": ... }</c>.</summary>
    public static SegmentReadResult Read(JsonElement json)
    {
        var reading = new Reading();
        if (json.ValueKind != JsonValueKind.Object)
        {
            reading.Error("body", "must be a JSON object with name and condition");
            return new SegmentReadResult(null, reading.Errors);
        }

        CheckKeys(json, "", "a segment definition", _definitionKeys, reading);
        var name = ReadName(json, reading);
        var description = ReadDescription(json, reading);

        Condition? condition = null;
        if (json.TryGetProperty("condition", out var node) && node.ValueKind != JsonValueKind.Null)
            condition = ReadNode(node, "condition", 1, reading);
        else
            reading.Error("condition", "is required");

        return reading.Errors.Count == 0 && name is not null && condition is not null
            ? new SegmentReadResult(new SegmentDefinition(name, description, condition), reading.Errors)
            : new SegmentReadResult(null, reading.Errors);
    }

    /// <summary>Reads a bare condition, with the same rules and limits as a definition's <c>condition</c>.</summary>
    /// <param name="json">The condition node.</param>
    /// <param name="path">
    /// Where the node sits in the caller's document (e.g. <c>steps[2].filter</c>): errors are named below it and
    /// event conditions are keyed by it.
    /// </param>
    public static ConditionReadResult ReadCondition(JsonElement json, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        var reading = new Reading();
        var condition = ReadNode(json, path, 1, reading);
        return reading.Errors.Count == 0 && condition is not null
            ? new ConditionReadResult(condition, reading.Errors)
            : new ConditionReadResult(null, reading.Errors);
    }

    private static string? ReadName(JsonElement json, Reading reading)
    {
        if (!json.TryGetProperty("name", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            reading.Error("name", "is required");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            reading.Error("name", "must be a string");
            return null;
        }

        var name = value.GetString()!.Trim();
        if (name.Length == 0)
            reading.Error("name", "must not be empty");
        else if (name.Length > MaxNameLength)
            reading.Error("name", $"must be at most {MaxNameLength} characters");
        return name;
    }

    private static string? ReadDescription(JsonElement json, Reading reading)
    {
        if (!json.TryGetProperty("description", out var value) || value.ValueKind == JsonValueKind.Null)
            return null;

        if (value.ValueKind != JsonValueKind.String)
        {
            reading.Error("description", "must be a string");
            return null;
        }

        var description = value.GetString()!;
        if (description.Length > MaxDescriptionLength)
            reading.Error("description", $"must be at most {MaxDescriptionLength} characters");
        return description;
    }

    private static Condition? ReadNode(JsonElement node, string path, int depth, Reading reading)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            reading.Error(path, "must be a condition object, e.g. { \"property\": \"email\", \"operator\": \"isSet\" }");
            return null;
        }

        if (depth > MaxDepth)
        {
            reading.Error(path, $"nested too deep: conditions nest at most {MaxDepth} levels");
            return null;
        }

        // Reported once, on the node that goes over: the nodes after it would only repeat the same news.
        reading.Nodes++;
        if (reading.Nodes > MaxNodes)
        {
            if (reading.Nodes == MaxNodes + 1)
                reading.Error(path, $"too many conditions: a definition holds at most {MaxNodes}");
            return null;
        }

        var kinds = KindsOf(node);
        if (kinds.Count != 1)
        {
            reading.Error(path, kinds.Count == 0
                ? $"is not a condition: it needs one of {_nodeKindList}{FoundKeysNote(node)}"
                : $"mixes {string.Join(" and ", kinds.Select(k => $"'{k}'"))}; a condition has exactly one of {_nodeKindList}");
            return null;
        }

        return kinds[0] switch
        {
            "and" => ReadGroup(node, path, "and", depth, reading),
            "or" => ReadGroup(node, path, "or", depth, reading),
            "not" => ReadNot(node, path, depth, reading),
            "property" => ReadProfileCondition(node, path, reading),
            "event" => ReadEventCondition(node, path, reading),
            "consent" => ReadConsent(node, path, reading),
            "near" => ReadNear(node, path, reading),
            "list" => ReadReference(node, path, "list", reading) is { } list ? new ListCondition(list) : null,
            _ => ReadReference(node, path, "segment", reading) is { } segment ? new SegmentMembershipCondition(segment) : null,
        };
    }

    private static Condition? ReadGroup(JsonElement node, string path, string kind, int depth, Reading reading)
    {
        CheckKeys(node, path, $"an '{kind}' group", [kind], reading);
        var field = Field(path, kind);
        var items = node.GetProperty(kind);
        if (items.ValueKind != JsonValueKind.Array)
        {
            reading.Error(field, "must be an array of conditions");
            return null;
        }

        var children = ImmutableArray.CreateBuilder<Condition>(items.GetArrayLength());
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            if (ReadNode(item, $"{field}[{index}]", depth + 1, reading) is { } child)
                children.Add(child);
            index++;
        }

        if (children.Count != children.Capacity)
            return null;
        return kind == "and" ? new AllOf(children.MoveToImmutable()) : new AnyOf(children.MoveToImmutable());
    }

    private static Not? ReadNot(JsonElement node, string path, int depth, Reading reading)
    {
        CheckKeys(node, path, "a 'not'", ["not"], reading);
        return ReadNode(node.GetProperty("not"), Field(path, "not"), depth + 1, reading) is { } inner ? new Not(inner) : null;
    }

    private static ProfileCondition? ReadProfileCondition(JsonElement node, string path, Reading reading)
    {
        CheckKeys(node, path, "a property condition", _testKeys, reading);
        var field = Field(path, "property");
        var value = node.GetProperty("property");
        if (value.ValueKind != JsonValueKind.String)
        {
            reading.Error(field, "must be a string naming a profile property, e.g. traits.city or computed.orderCount");
            return null;
        }

        var property = value.GetString()!;
        if (ProfileProperties.KindOf(property) is not { } kind)
        {
            reading.Error(field,
                $"unknown property '{property}': traits are named traits.<name> (e.g. traits.city), "
                + $"the built-in properties are {string.Join(", ", ProfileProperties.BuiltInNames)}");
            return null;
        }

        return ReadValueTest(node, path, property, kind, reading) is { } test ? new ProfileCondition(property, test) : null;
    }

    private static ConsentCondition? ReadConsent(JsonElement node, string path, Reading reading)
    {
        CheckKeys(node, path, "a consent condition", ["consent", "status"], reading);

        var channel = ReadChoice(node.GetProperty("consent"), Field(path, "consent"), _channels, reading);

        ConsentStatus? status = null;
        if (!node.TryGetProperty("status", out var statusValue))
            reading.Error(Field(path, "status"), $"is required: {Choices(_consentStatuses.Keys)}");
        else if (ReadChoice(statusValue, Field(path, "status"), _consentStatuses.Keys, reading) is { } statusName)
            status = _consentStatuses[statusName];

        return channel is not null && status is not null ? new ConsentCondition(channel, status.Value) : null;
    }

    private static NearCondition? ReadNear(JsonElement node, string path, Reading reading)
    {
        CheckKeys(node, path, "a near condition", ["near"], reading);
        var field = Field(path, "near");
        var near = node.GetProperty("near");
        if (near.ValueKind != JsonValueKind.Object)
        {
            reading.Error(field, "must be an object: { \"latitude\": 52.52, \"longitude\": 13.405, \"km\": 50 }");
            return null;
        }

        CheckKeys(near, field, "near", ["latitude", "longitude", "km"], reading);
        var latitude = ReadNumber(near, field, "latitude", n => n is >= -90 and <= 90, "from -90 to 90", reading);
        var longitude = ReadNumber(near, field, "longitude", n => n is >= -180 and <= 180, "from -180 to 180", reading);
        var km = ReadNumber(near, field, "km", n => n is > 0 and <= MaxNearKilometers, $"greater than 0 and at most {MaxNearKilometers}", reading);

        return latitude is not null && longitude is not null && km is not null
            ? new NearCondition(latitude.Value, longitude.Value, km.Value)
            : null;
    }

    private static double? ReadNumber(JsonElement parent, string path, string name, Func<double, bool> inRange, string range, Reading reading)
    {
        var field = Field(path, name);
        if (!parent.TryGetProperty(name, out var value))
            reading.Error(field, $"is required: a number {range}");
        else if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
            reading.Error(field, $"must be a number {range}");
        else if (!inRange(number))
            reading.Error(field, $"must be {range}");
        else
            return number;
        return null;
    }

    private static string? ReadReference(JsonElement node, string path, string kind, Reading reading)
    {
        CheckKeys(node, path, $"a {kind} condition", [kind], reading);
        var value = node.GetProperty(kind);
        if (value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
            return value.GetString();

        reading.Error(Field(path, kind), $"must be a {kind} id, e.g. \"{(kind == "list" ? "lst_123" : "seg_456")}\"");
        return null;
    }
}
