using System.Security.Cryptography;
using System.Text;

namespace Nudge.Core.Tracking;

/// <summary>
/// The reference of an email in the mail system: the first 128 bits of SHA-256 of its message key, in lower-case hex.
/// It is the local part of the Message-ID (<c>{ref}.nudge@{domain}</c>) and the value of <c>X-Nudge-Ref</c>, so a
/// bounce or complaint that quotes either names the message it is about, and the same key always gives the same ref.
/// </summary>
public static class MessageRef
{
    /// <summary>The suffix of the Message-ID's local part after the ref.</summary>
    public const string Suffix = ".nudge";

    /// <summary>The header that carries the ref on every email.</summary>
    public const string Header = "X-Nudge-Ref";

    /// <summary>The ref of the message with this key.</summary>
    public static string Of(string messageKey)
    {
        ArgumentNullException.ThrowIfNull(messageKey);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(messageKey), digest);
        return Convert.ToHexStringLower(digest[..16]);
    }

    /// <summary>The ref inside a Message-ID Nudge made (with or without angle brackets), or null for any other id.</summary>
    public static string? FromMessageId(string? messageId)
    {
        if (string.IsNullOrWhiteSpace(messageId))
            return null;
        var id = messageId.Trim().Trim('<', '>');
        var at = id.IndexOf('@', StringComparison.Ordinal);
        if (at < 0 || !id.AsSpan(0, at).EndsWith(Suffix, StringComparison.OrdinalIgnoreCase))
            return null;
        var candidate = id[..(at - Suffix.Length)];
        return IsRef(candidate) ? candidate.ToLowerInvariant() : null;
    }

    /// <summary>True when <paramref name="value"/> has the shape of a ref (32 hex digits).</summary>
    public static bool IsRef(string? value) => value is { Length: 32 } && value.All(char.IsAsciiHexDigit);
}
