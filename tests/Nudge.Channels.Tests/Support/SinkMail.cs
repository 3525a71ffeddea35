using MimeKit;

namespace Nudge.Channels.Tests.Support;

/// <summary>Reads what smtp-sink wrote: one message per file, after smtp-sink's own X-* and Received headers.</summary>
public static class SinkMail
{
    public static MimeMessage Load(string file) => MimeMessage.Load(file);

    public static IReadOnlyList<MimeMessage> LoadAll(IEnumerable<string> files) => files.Select(Load).ToList();

    /// <summary>How many copies of each Message-ID arrived.</summary>
    public static IReadOnlyDictionary<string, int> CopiesPerMessageId(IEnumerable<string> files) =>
        LoadAll(files).GroupBy(m => m.MessageId ?? "", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
