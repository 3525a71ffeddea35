using System.Text.Json;
using Nudge.Core.Profiles;

namespace Nudge.Core.Segments;

/// <summary>
/// The profile properties a condition can name: <c>traits.*</c> (any trait, dotted paths into nested objects),
/// the ids, location and time zone, and the computed traits. Values are handed out as JSON so that traits and
/// built-in properties are compared by the same code.
/// </summary>
public static class ProfileProperties
{
    private static readonly Dictionary<string, (ProfilePropertyKind Kind, Func<Profile, object?> Read)> BuiltIn = new(StringComparer.Ordinal)
    {
        ["email"] = (ProfilePropertyKind.Text, p => p.Email),
        ["phone"] = (ProfilePropertyKind.Text, p => p.Phone),
        ["userId"] = (ProfilePropertyKind.Text, p => p.UserId),
        ["timeZone"] = (ProfilePropertyKind.Text, p => p.TimeZone),
        ["location.country"] = (ProfilePropertyKind.Text, p => p.Location?.Country),
        ["location.region"] = (ProfilePropertyKind.Text, p => p.Location?.Region),
        ["location.city"] = (ProfilePropertyKind.Text, p => p.Location?.City),
        ["computed.firstSeen"] = (ProfilePropertyKind.Date, p => p.Computed.FirstSeen),
        ["computed.lastSeen"] = (ProfilePropertyKind.Date, p => p.Computed.LastSeen),
        ["computed.eventCount"] = (ProfilePropertyKind.Number, p => (decimal)p.Computed.EventCount),
        ["computed.orderCount"] = (ProfilePropertyKind.Number, p => (decimal)p.Computed.OrderCount),
        ["computed.totalRevenue"] = (ProfilePropertyKind.Number, p => p.Computed.TotalRevenue),
        ["computed.averageOrderValue"] = (ProfilePropertyKind.Number, p => p.Computed.OrderCount == 0 ? null : p.Computed.AverageOrderValue),
        ["computed.firstOrderDate"] = (ProfilePropertyKind.Date, p => p.Computed.FirstOrderDate),
        ["computed.lastOrderDate"] = (ProfilePropertyKind.Date, p => p.Computed.LastOrderDate),
        ["computed.currency"] = (ProfilePropertyKind.Text, p => p.Computed.Currency),
        ["computed.lastProductViewed.productId"] = (ProfilePropertyKind.Text, p => p.Computed.LastProductViewed?.ProductId),
        ["computed.lastProductViewed.name"] = (ProfilePropertyKind.Text, p => p.Computed.LastProductViewed?.Name),
        ["computed.lastProductViewed.at"] = (ProfilePropertyKind.Date, p => p.Computed.LastProductViewed?.At),
        ["computed.lastProductAdded.productId"] = (ProfilePropertyKind.Text, p => p.Computed.LastProductAdded?.ProductId),
        ["computed.lastProductAdded.name"] = (ProfilePropertyKind.Text, p => p.Computed.LastProductAdded?.Name),
        ["computed.lastProductAdded.at"] = (ProfilePropertyKind.Date, p => p.Computed.LastProductAdded?.At),
    };

    /// <summary>Every built-in property name, for validation messages and the JSON schema.</summary>
    public static IEnumerable<string> BuiltInNames => BuiltIn.Keys;

    /// <summary>The kind of a property, or null when no such property exists.</summary>
    public static ProfilePropertyKind? KindOf(string path)
    {
        if (path.StartsWith("traits.", StringComparison.Ordinal) && path.Length > "traits.".Length)
            return ProfilePropertyKind.Any;
        return BuiltIn.TryGetValue(path, out var entry) ? entry.Kind : null;
    }

    /// <summary>
    /// The property's value, or null when the profile has none: a <see cref="JsonElement"/> for traits, a
    /// <see cref="string"/>, <see cref="decimal"/> or <see cref="DateTimeOffset"/> for built-in properties.
    /// </summary>
    public static object? Read(Profile profile, string path)
    {
        if (path.StartsWith("traits.", StringComparison.Ordinal))
        {
            var segments = path["traits.".Length..].Split('.');
            if (!profile.Traits.TryGetValue(segments[0], out var value))
                return null;
            for (var i = 1; i < segments.Length; i++)
            {
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(segments[i], out value))
                    return null;
            }
            return value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : value;
        }

        return BuiltIn.TryGetValue(path, out var builtIn) ? builtIn.Read(profile) : null;
    }
}
