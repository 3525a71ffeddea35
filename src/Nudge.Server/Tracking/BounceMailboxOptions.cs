using Nudge.Channels.Email;

namespace Nudge.Server.Tracking;

/// <summary>
/// The IMAP mailbox bounces and complaints arrive in (the envelope sender's mailbox); bound to <c>Nudge:BounceMailbox</c>
/// (environment variables <c>Nudge__BounceMailbox__...</c>). Unset <see cref="Host"/>: no mailbox is read.
/// </summary>
public sealed class BounceMailboxOptions
{
    /// <summary>The IMAP server's host name; unset, Nudge reads no mailbox.</summary>
    public string? Host { get; set; }

    /// <summary>The IMAP port: 993 with TLS from the start, 143 with STARTTLS.</summary>
    public int Port { get; set; } = 993;

    /// <summary>
    /// <c>auto</c> (TLS on 993, STARTTLS elsewhere when the server offers it), <c>starttls</c> (required),
    /// <c>tls</c> (TLS from the start) or <c>none</c>.
    /// </summary>
    public string Security { get; set; } = "auto";

    /// <summary>The mailbox's user name.</summary>
    public string? User { get; set; }

    /// <summary>The mailbox's password (or app password).</summary>
    public string? Password { get; set; }

    /// <summary>The folder bounces arrive in.</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>
    /// Where handled bounces and complaints are moved (created when missing); unset, they stay in <see cref="Folder"/>
    /// marked as read. Other mail (people's replies) is never touched.
    /// </summary>
    public string? ProcessedFolder { get; set; }

    /// <summary>How often the mailbox is read.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most unread messages looked at in one poll; the rest wait for the next.</summary>
    public int MaxMessagesPerPoll { get; set; } = 500;

    /// <summary>How long one IMAP command may take before the connection is given up.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>
    /// The workspace of reports that do not quote a message Nudge sent (a bounce naming only the address); unset, the
    /// only workspace when there is one.
    /// </summary>
    public string? Workspace { get; set; }

    /// <summary>True when a mailbox is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The first problem with these settings, or null.</summary>
    public string? Problem()
    {
        if (!Enabled)
            return null;
        if (Port is < 1 or > 65535)
            return $"Nudge:BounceMailbox:Port must be between 1 and 65535, not {Port}";
        if (!MailSecurity.IsKnown(Security))
            return $"Nudge:BounceMailbox:Security must be auto, starttls, tls or none, not '{Security}'";
        if (string.IsNullOrWhiteSpace(User) || string.IsNullOrEmpty(Password))
            return "Nudge:BounceMailbox:User and Nudge:BounceMailbox:Password are required when Nudge:BounceMailbox:Host is set";
        if (string.IsNullOrWhiteSpace(Folder))
            return "Nudge:BounceMailbox:Folder must name a folder (INBOX by default)";
        if (PollInterval < TimeSpan.FromSeconds(5))
            return $"Nudge:BounceMailbox:PollInterval must be at least 5 seconds, not {PollInterval}";
        if (MaxMessagesPerPoll is < 1 or > 10_000)
            return $"Nudge:BounceMailbox:MaxMessagesPerPoll must be between 1 and 10000, not {MaxMessagesPerPoll}";
        if (TimeoutSeconds is < 1 or > 600)
            return $"Nudge:BounceMailbox:TimeoutSeconds must be between 1 and 600, not {TimeoutSeconds}";
        return null;
    }
}
