using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nudge.Core.Flows;

/// <summary>What a profile step writes: the trait and its new value, worked out from the profile as it is now.</summary>
public static class ProfileChanges
{
    /// <summary>The trait <paramref name="change"/> sets on <paramref name="profile"/>, with its new value.</summary>
    /// <remarks>Tags live in the <c>tags</c> trait (an array of strings); a score missing or not a number counts as 0.</remarks>
    public static (string Trait, JsonNode? Value) Apply(Profiles.Profile profile, ProfileChange change)
    {
        ArgumentNullException.ThrowIfNull(profile);
        switch (change)
        {
            case SetTrait set:
                return (set.Trait, JsonNode.Parse(set.Value.GetRawText()));
            case ChangeTag tag:
                var tags = profile.Traits.TryGetValue("tags", out var current) && current.ValueKind == JsonValueKind.Array
                    ? current.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList()
                    : [];
                tags.Remove(tag.Tag);
                if (tag.Add)
                    tags.Add(tag.Tag);
                return ("tags", new JsonArray([.. tags.Select(t => (JsonNode)JsonValue.Create(t))]));
            case AddToScore score:
                var before = profile.Traits.TryGetValue(score.Score, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDecimal() : 0m;
                return (score.Score, JsonValue.Create(before + score.By));
            default:
                throw new ArgumentOutOfRangeException(nameof(change));
        }
    }
}
