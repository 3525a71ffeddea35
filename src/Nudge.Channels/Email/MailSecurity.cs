using MailKit.Security;

namespace Nudge.Channels.Email;

/// <summary>
/// The <c>Security</c> setting of a mail server connection (SMTP relay, IMAP bounce mailbox): <c>auto</c> (TLS on
/// the implicit-TLS port, STARTTLS elsewhere when offered), <c>starttls</c> (required), <c>tls</c> (TLS from the start)
/// or <c>none</c>.
/// </summary>
public static class MailSecurity
{
    /// <summary>True when <paramref name="setting"/> is one of the four values.</summary>
    public static bool IsKnown(string setting) =>
        setting?.ToLowerInvariant() is "auto" or "starttls" or "tls" or "none";

    /// <summary>MailKit's option for <paramref name="setting"/>; anything unknown is <c>auto</c>.</summary>
    public static SecureSocketOptions Options(string setting) => setting?.ToLowerInvariant() switch
    {
        "none" => SecureSocketOptions.None,
        "starttls" => SecureSocketOptions.StartTls,
        "tls" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
