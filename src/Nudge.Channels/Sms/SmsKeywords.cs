namespace Nudge.Channels.Sms;

/// <summary>What an inbound SMS asks for, read the way carriers and providers read opt-out keywords.</summary>
public enum SmsKeyword
{
    /// <summary>Any other text.</summary>
    None,

    /// <summary>STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT: no more messages.</summary>
    OptOut,

    /// <summary>START, YES, UNSTOP: messages again.</summary>
    OptIn,
}

/// <summary>Reads the standard opt-out and opt-in keywords (the whole message, any case, surrounding spaces and punctuation ignored).</summary>
public static class SmsKeywords
{
    private static readonly HashSet<string> OptOutWords = new(StringComparer.OrdinalIgnoreCase) { "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT" };
    private static readonly HashSet<string> OptInWords = new(StringComparer.OrdinalIgnoreCase) { "START", "YES", "UNSTOP" };

    public static SmsKeyword Read(string? body)
    {
        var word = body?.Trim().Trim('.', '!', '?', ',', ';', '"', '\'').Trim();
        if (string.IsNullOrEmpty(word))
            return SmsKeyword.None;
        return OptOutWords.Contains(word) ? SmsKeyword.OptOut : OptInWords.Contains(word) ? SmsKeyword.OptIn : SmsKeyword.None;
    }
}
