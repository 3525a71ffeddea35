namespace Nudge.Server.Tracking;

/// <summary>One reading of the bounce mailbox.</summary>
/// <param name="At">When it started.</param>
/// <param name="Ok">False when the mailbox could not be read (see <paramref name="Error"/>).</param>
/// <param name="Error">Why it could not be read: connection, login or folder problems.</param>
/// <param name="Messages">Unread messages looked at (mail passed over before is not looked at again).</param>
/// <param name="Reports">Bounces and complaints among them, handled and then marked read or moved.</param>
/// <param name="Suppressed">Addresses suppressed because of them (or already suppressed).</param>
/// <param name="Unmatched">Reports that named no message Nudge sent and no address of a known workspace.</param>
/// <param name="PassedOver">Messages that are not bounces or complaints (replies, auto-replies) or too large; left unread.</param>
public sealed record BounceMailboxPoll(
    DateTimeOffset At, bool Ok, string? Error, int Messages, int Reports, int Suppressed, int Unmatched, int PassedOver);

/// <summary>The bounce mailbox's settings (without the password) and what its readings found.</summary>
/// <param name="Enabled">False when no mailbox is configured (<c>Nudge__BounceMailbox__Host</c>).</param>
/// <param name="Host">The IMAP server.</param>
/// <param name="Port">Its port.</param>
/// <param name="User">The mailbox's user name.</param>
/// <param name="Folder">The folder read.</param>
/// <param name="ProcessedFolder">Where handled reports go; null: they stay, marked read.</param>
/// <param name="PollInterval">How often it is read.</param>
/// <param name="LastPoll">The latest reading, null before the first.</param>
/// <param name="LastSuccessAt">When it was last read without error.</param>
/// <param name="Reports">Reports handled since Nudge started.</param>
/// <param name="Suppressed">Addresses suppressed by them since Nudge started.</param>
public sealed record BounceMailboxStatus(
    bool Enabled, string? Host, int? Port, string? User, string? Folder, string? ProcessedFolder, TimeSpan? PollInterval,
    BounceMailboxPoll? LastPoll, DateTimeOffset? LastSuccessAt, long Reports, long Suppressed);
