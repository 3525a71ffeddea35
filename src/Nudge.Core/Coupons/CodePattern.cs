using System.Security.Cryptography;
using System.Text;

namespace Nudge.Core.Coupons;

/// <summary>
/// How generated codes look: fixed text with a random character in place of every <c>#</c>
/// (<c>WELCOME-########</c>). Random characters come from <see cref="Alphabet"/>, which leaves out the characters
/// people mix up when they type a code from an email (0/O, 1/I/L), and are drawn with the operating system's
/// cryptographic generator, so a code cannot be guessed from others.
/// </summary>
public sealed record CodePattern
{
    /// <summary>The characters of random parts: digits 2-9 and upper-case letters without I, L and O (31 characters).</summary>
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    /// <summary>Fewer random characters than this make codes that can be guessed by trying.</summary>
    public const int MinRandom = 6;

    /// <summary>The most random characters one pattern may have.</summary>
    public const int MaxRandom = 32;

    private CodePattern(string text, int randomCount)
    {
        Text = text;
        RandomCount = randomCount;
    }

    /// <summary>The pattern as written (<c>#</c> for each random character).</summary>
    public string Text { get; }

    /// <summary>How many random characters each code has.</summary>
    public int RandomCount { get; }

    /// <summary>How many different codes the pattern can make (capped at <see cref="double.MaxValue"/>).</summary>
    public double Capacity => Math.Pow(Alphabet.Length, RandomCount);

    /// <summary>
    /// The most codes one pool may generate from this pattern: a thousandth of what it can make, so codes stay hard to
    /// guess (a guess hits one in a thousand at worst) and new codes rarely collide with those already made.
    /// </summary>
    public long MaxCodes => (long)Math.Min(Capacity / 1000, 10_000_000);

    /// <summary>Reads <c>WELCOME-########</c>; null with the reason when it is not a usable pattern.</summary>
    public static (CodePattern? Pattern, string? Problem) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return (null, "is required, e.g. \"WELCOME-########\" (each # is a random character)");
        text = text.Trim();
        var random = text.Count(c => c == '#');
        if (random < MinRandom)
            return (null, $"needs at least {MinRandom} random characters (#), e.g. \"WELCOME-########\"");
        if (random > MaxRandom)
            return (null, $"may have at most {MaxRandom} random characters (#)");
        if (CouponCodes.Problem(text) is { } problem)
            return (null, problem);
        return (new CodePattern(text, random), null);
    }

    /// <summary>A pattern from a prefix and a number of random characters (<c>WELCOME-</c> and 8).</summary>
    public static (CodePattern? Pattern, string? Problem) FromPrefix(string? prefix, int length) =>
        (prefix ?? "").Contains('#', StringComparison.Ordinal)
            ? (null, "must not contain #")
            : Parse((prefix ?? "") + new string('#', Math.Clamp(length, 0, MaxRandom + 1)));

    /// <summary>One new code, with cryptographic randomness.</summary>
    public string Next()
    {
        Span<char> random = stackalloc char[RandomCount];
        RandomNumberGenerator.GetItems(Alphabet.AsSpan(), random);
        var code = new StringBuilder(Text.Length);
        var next = 0;
        foreach (var c in Text)
            code.Append(c == '#' ? random[next++] : char.ToUpperInvariant(c));
        return code.ToString();
    }

    /// <summary><paramref name="count"/> different new codes, none of which <paramref name="taken"/> holds.</summary>
    public IReadOnlyList<string> Generate(int count, Func<string, bool>? taken = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var codes = new HashSet<string>(count, StringComparer.Ordinal);
        while (codes.Count < count)
        {
            var code = Next();
            if (taken?.Invoke(code) != true)
                codes.Add(code);
        }
        return [.. codes];
    }
}
