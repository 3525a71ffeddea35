namespace Nudge.Core.Coupons;

/// <summary>What counts as a coupon code, and when two spellings are the same code.</summary>
public static class CouponCodes
{
    /// <summary>The longest code (Shopify allows 255; real codes are short).</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// The code as it is compared: trimmed and upper-case. Shops treat codes case-insensitively, so <c>welcome-ab12</c>
    /// typed at checkout is the code <c>WELCOME-AB12</c>.
    /// </summary>
    public static string Key(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code.Trim().ToUpperInvariant();
    }

    /// <summary>Why <paramref name="code"/> (trimmed) cannot be a code; null when it can.</summary>
    public static string? Problem(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var trimmed = code.Trim();
        if (trimmed.Length == 0)
            return "is empty";
        if (trimmed.Length > MaxLength)
            return $"is longer than {MaxLength} characters";
        foreach (var c in trimmed)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
                return "contains spaces or control characters";
            if (c is ',' or ';' or '"')
                return "contains a comma, semicolon or quote";
        }
        return null;
    }
}
