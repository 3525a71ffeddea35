using System.Globalization;
using Nudge.Testing;

namespace Nudge.Server.Tests.Support;

/// <summary>The in-process Nudge sending through smtp-sink and reading its bounces from a Dovecot IMAP mailbox.</summary>
public sealed class NudgeWithBounceMailbox : NudgeApi, IAsyncLifetime
{
    public SmtpSink Sink { get; private set; } = null!;

    public ImapServer Mailbox { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Sink = await SmtpSink.StartAsync(ct: CancellationToken.None);
        Mailbox = await ImapServer.StartAsync(ct: CancellationToken.None);
        SendThrough(Sink);
        foreach (var (key, value) in MailboxSettings(Mailbox))
            Settings[key] = value;
    }

    /// <summary>The settings that make a Nudge read <paramref name="mailbox"/> (only when asked: the interval is long).</summary>
    public static Dictionary<string, string> MailboxSettings(ImapServer mailbox, string? password = null) => new()
    {
        ["Nudge:BounceMailbox:Host"] = ImapServer.Address,
        ["Nudge:BounceMailbox:Port"] = mailbox.Port.ToString(CultureInfo.InvariantCulture),
        ["Nudge:BounceMailbox:Security"] = "none",
        ["Nudge:BounceMailbox:User"] = mailbox.User,
        ["Nudge:BounceMailbox:Password"] = password ?? mailbox.Password,
        ["Nudge:BounceMailbox:PollInterval"] = "01:00:00",
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        // Either may be missing when the start failed.
        if (Mailbox is { } mailbox)
            await mailbox.DisposeAsync();
        if (Sink is { } sink)
            await sink.DisposeAsync();
    }
}
