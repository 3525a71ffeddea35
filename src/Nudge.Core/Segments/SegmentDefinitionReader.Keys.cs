using System.Collections.Frozen;
using System.Text.Json;
using Nudge.Core.Ingestion;

namespace Nudge.Core.Segments;

public static partial class SegmentDefinitionReader
{
    /// <summary>The keys that tell node kinds apart; a node has exactly one of them.</summary>
    private static readonly string[] _nodeKinds = ["and", "or", "not", "property", "event", "consent", "near", "list", "segment"];

    private static readonly FrozenSet<string> _nodeKindSet = _nodeKinds.ToFrozenSet(StringComparer.Ordinal);

    private static readonly string _nodeKindList = Choices(_nodeKinds);

    private static readonly string[] _channels = ["email", "sms", "push"];

    private static readonly FrozenDictionary<string, ConsentStatus> _consentStatuses = new Dictionary<string, ConsentStatus>
    {
        ["subscribed"] = ConsentStatus.Subscribed,
        ["unsubscribed"] = ConsentStatus.Unsubscribed,
        ["neverSubscribed"] = ConsentStatus.NeverSubscribed,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The errors and the node budget of one call; a fresh one per call keeps the reader free of shared state.</summary>
    private sealed class Reading
    {
        public List<FieldError> Errors { get; } = [];

        public int Nodes { get; set; }

        public void Error(string field, string message) => Errors.Add(new FieldError(field, message));
    }

    private static string Field(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>"a, b or c", for messages that list what is allowed.</summary>
    private static string Choices(IEnumerable<string> choices, string conjunction = "or")
    {
        var list = choices.ToList();
        return list.Count == 1 ? list[0] : $"{string.Join(", ", list[..^1])} {conjunction} {list[^1]}";
    }

    private static List<string> KindsOf(JsonElement node) =>
        node.EnumerateObject().Select(p => p.Name).Where(_nodeKindSet.Contains).Distinct(StringComparer.Ordinal).ToList();

    private static string FoundKeysNote(JsonElement node)
    {
        var keys = node.EnumerateObject().Select(p => $"'{p.Name}'").ToList();
        return keys.Count == 0 ? "" : $" (found {string.Join(", ", keys)})";
    }

    /// <summary>
    /// Reports keys the node's kind does not know and keys given twice: a misspelt <c>"windw"</c> would otherwise
    /// be ignored silently and the segment would quietly mean something else.
    /// </summary>
    /// <remarks><paramref name="misplaced"/> gives a better message for a key that belongs to a related kind.</remarks>
    private static void CheckKeys(
        JsonElement node, string path, string what, IReadOnlyCollection<string> allowed, Reading reading, Func<string, string?>? misplaced = null)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in node.EnumerateObject())
        {
            if (!seen.Add(property.Name))
                reading.Error(Field(path, property.Name), "is given more than once");
            else if (!allowed.Contains(property.Name))
                reading.Error(Field(path, property.Name),
                    misplaced?.Invoke(property.Name) ?? $"unknown key '{property.Name}': {what} takes {Choices(allowed, "and")}");
        }
    }

    /// <summary>A string that must be one of a few names, compared exactly.</summary>
    private static string? ReadChoice(JsonElement value, string field, IEnumerable<string> choices, Reading reading, string noun = "value")
    {
        var name = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (name is not null && choices.Contains(name, StringComparer.Ordinal))
            return name;

        reading.Error(field, name is null
            ? $"must be one of {Choices(choices)}"
            : $"unknown {noun} '{name}': expected {Choices(choices)}");
        return null;
    }
}
