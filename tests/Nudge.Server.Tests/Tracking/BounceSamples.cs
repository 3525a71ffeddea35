using Nudge.Core.Tracking;

namespace Nudge.Server.Tests.Tracking;

/// <summary>The RFC-based bounce and complaint samples, rewritten to be about a message Nudge really sent.</summary>
internal static class BounceSamples
{
    // The samples quote the message sent under the key "run_sample:send" to these addresses.
    private const string SampleRef = "f350e4ccc0154590d2f320885e09cf08";
    private static readonly string[] SampleRecipients = ["nobody@customer.example", "full@customer.example", "ada@customer.example"];

    /// <summary>The sample <paramref name="name"/> about the message with <paramref name="messageKey"/> sent to <paramref name="recipient"/>.</summary>
    public static string About(string name, string messageKey, string recipient)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Bounces", name)).Replace(SampleRef, MessageRef.Of(messageKey), StringComparison.Ordinal);
        foreach (var sample in SampleRecipients)
            text = text.Replace(sample, recipient, StringComparison.Ordinal);
        return text;
    }
}
