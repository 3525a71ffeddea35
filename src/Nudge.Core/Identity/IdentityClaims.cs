using System.Text.Json;
using Nudge.Core.Ingestion;

namespace Nudge.Core.Identity;

/// <summary>Reads the normalized ids a message names: userId, anonymousId, previousId, email and phone traits.</summary>
public static class IdentityClaims
{
    public static IReadOnlyList<IdentityKey> Of(IncomingMessage message, string? defaultRegion)
    {
        var claims = new List<IdentityKey>(4);
        if (message.UserId is { } userId)
            claims.Add(new IdentityKey(IdentityKind.UserId, userId));
        if (message.AnonymousId is { } anonymousId)
            claims.Add(new IdentityKey(IdentityKind.AnonymousId, anonymousId));

        // Alias says "previousId is the same person as userId"; previousId may be either kind of id.
        if (message is { Type: MessageType.Alias, PreviousId: { } previousId })
            claims.Add(new IdentityKey(IdentityKind.AnonymousId, previousId));

        if (message.Traits is { } traits)
        {
            if (ContactNormalizer.Email(Text(traits, "email")) is { } email)
                claims.Add(new IdentityKey(IdentityKind.Email, email));
            if (ContactNormalizer.Phone(Text(traits, "phone"), Country(traits) ?? defaultRegion) is { } phone)
                claims.Add(new IdentityKey(IdentityKind.Phone, phone));
        }

        return claims;
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Country(JsonElement traits) =>
        traits.TryGetProperty("address", out var address) && address.ValueKind == JsonValueKind.Object
            && Text(address, "country") is { Length: 2 } country
            ? country
            : null;
}
