using System.Buffers;

namespace Nudge.Channels.Sms;

/// <summary>How an SMS text is encoded on the air.</summary>
public enum SmsEncoding
{
    /// <summary>The GSM 03.38 7-bit alphabet: 160 characters in one message, 153 per part of a longer one.</summary>
    Gsm7,

    /// <summary>UCS-2 (UTF-16) for anything else (emoji, Cyrillic, ...): 70 units alone, 67 per part.</summary>
    Ucs2,
}

/// <summary>What a text costs: its encoding, its length in that encoding, and the number of billed messages.</summary>
/// <param name="Encoding">GSM-7 when every character is in the GSM alphabet, else UCS-2.</param>
/// <param name="Units">Septets (GSM-7, extension characters count two) or UTF-16 code units (UCS-2).</param>
/// <param name="Segments">Messages the carrier bills: 1 up to 160/70 units, else parts of 153/67.</param>
public sealed record SmsSegments(SmsEncoding Encoding, int Units, int Segments)
{
    /// <summary>GSM 03.38 basic character set (escape excluded).</summary>
    private const string Gsm7Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    /// <summary>GSM 03.38 extension table: each is sent as escape + character, two septets.</summary>
    private const string Gsm7Extension = "^{}\\[~]|€\f";

    private static readonly SearchValues<char> Basic = SearchValues.Create(Gsm7Basic);
    private static readonly SearchValues<char> Extension = SearchValues.Create(Gsm7Extension);

    /// <summary>Counts <paramref name="text"/> as a phone would send it.</summary>
    public static SmsSegments Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return IsGsm7(text) ? Count(text, SmsEncoding.Gsm7, 160, 153) : Count(text, SmsEncoding.Ucs2, 70, 67);
    }

    /// <summary>True when every character of <paramref name="text"/> has a GSM-7 code.</summary>
    public static bool IsGsm7(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
        {
            if (!Basic.Contains(c) && !Extension.Contains(c))
                return false;
        }
        return true;
    }

    private static SmsSegments Count(string text, SmsEncoding encoding, int single, int perPart)
    {
        var units = 0;
        for (var i = 0; i < text.Length; i++)
        {
            units += UnitsAt(text, i, encoding, out var skip);
            i += skip;
        }
        if (units <= single)
            return new SmsSegments(encoding, units, units == 0 ? 0 : 1);

        // A character is never split across parts (an escape pair, a surrogate pair): it opens the next part instead.
        var segments = 1;
        var used = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var width = UnitsAt(text, i, encoding, out var skip);
            i += skip;
            if (used + width > perPart)
            {
                segments++;
                used = 0;
            }
            used += width;
        }
        return new SmsSegments(encoding, units, segments);
    }

    private static int UnitsAt(string text, int index, SmsEncoding encoding, out int skip)
    {
        skip = 0;
        if (encoding == SmsEncoding.Gsm7)
            return Extension.Contains(text[index]) ? 2 : 1;
        if (char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            skip = 1;
            return 2;
        }
        return 1;
    }
}
