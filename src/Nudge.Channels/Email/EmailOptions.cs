using System.ComponentModel.DataAnnotations;

namespace Nudge.Channels.Email;

/// <summary>How Nudge sends email; bound to <c>Nudge:Smtp</c> (environment variables <c>Nudge__Smtp__...</c>).</summary>
public sealed class EmailOptions
{
    /// <summary>The SMTP relay's host name; unset, Nudge sends no email (unless <see cref="Provider"/> names an API).</summary>
    public string? Host { get; set; }

    /// <summary>The relay's port: 25 or 587 with STARTTLS, 465 with TLS from the start.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>
    /// <c>auto</c> (TLS on 465, STARTTLS elsewhere when the relay offers it), <c>starttls</c> (required),
    /// <c>tls</c> (TLS from the start) or <c>none</c>.
    /// </summary>
    public string Security { get; set; } = "auto";

    /// <summary>The user name, when the relay wants authentication.</summary>
    public string? User { get; set; }

    /// <summary>The password that goes with <see cref="User"/>.</summary>
    public string? Password { get; set; }

    /// <summary>The sender of every message, e.g. <c>Shop &lt;news@shop.example&gt;</c>.</summary>
    public string From { get; set; } = "Nudge <nudge@localhost>";

    /// <summary>SMTP connections kept open and reused; each sends one message at a time.</summary>
    [Range(1, 256)]
    public int PoolSize { get; set; } = 4;

    /// <summary>How long one SMTP command may take before the connection is given up.</summary>
    [Range(1, 3600)]
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>
    /// An address that unsubscribes whoever writes to it (processed by the shop's mailbox), added to
    /// <c>List-Unsubscribe</c> as a <c>mailto:</c> beside the one-click URL; unset, only the URL is given.
    /// </summary>
    public string? UnsubscribeMailto { get; set; }

    /// <summary><c>smtp</c> (the default) or <c>postmark</c> (the Postmark email API, see <see cref="Postmark"/>).</summary>
    public string Provider { get; set; } = "smtp";

    /// <summary>DKIM keys, one per sending domain.</summary>
    public IList<DkimKeyOptions> Dkim { get; } = [];

    /// <summary>Settings of the Postmark API, used when <see cref="Provider"/> is <c>postmark</c>.</summary>
    public PostmarkOptions Postmark { get; set; } = new();

    /// <summary>True when email can go out: an SMTP host or an API provider is configured.</summary>
    public bool Enabled => IsPostmark ? !string.IsNullOrWhiteSpace(Postmark.ServerToken) : !string.IsNullOrWhiteSpace(Host);

    /// <summary>True when the Postmark API is the provider.</summary>
    public bool IsPostmark => string.Equals(Provider, "postmark", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first problem with these settings, or null.</summary>
    public string? Problem()
    {
        if (!IsPostmark && !string.Equals(Provider, "smtp", StringComparison.OrdinalIgnoreCase))
            return $"Nudge:Smtp:Provider must be smtp or postmark, not '{Provider}'";
        if (!MailSecurity.IsKnown(Security))
            return $"Nudge:Smtp:Security must be auto, starttls, tls or none, not '{Security}'";
        if (!MimeKit.MailboxAddress.TryParse(From, out var from) || !from.Address.Contains('@', StringComparison.Ordinal))
            return $"Nudge:Smtp:From must be an address such as 'Shop <news@shop.example>', not '{From}'";
        if (UnsubscribeMailto is { Length: > 0 } mailto && !MimeKit.MailboxAddress.TryParse(mailto, out _))
            return $"Nudge:Smtp:UnsubscribeMailto must be an email address, not '{mailto}'";
        if (User is { Length: > 0 } && Password is null)
            return "Nudge:Smtp:Password is required with Nudge:Smtp:User";
        for (var i = 0; i < Dkim.Count; i++)
        {
            if (Dkim[i].Problem() is { } problem)
                return $"Nudge:Smtp:Dkim:{i}: {problem}";
        }
        return null;
    }
}

/// <summary>One DKIM key: the domain it signs for, its selector, and the RSA private key.</summary>
public sealed class DkimKeyOptions
{
    /// <summary>The sending domain (<c>d=</c>); messages whose From address is in it are signed with this key.</summary>
    public string Domain { get; set; } = "";

    /// <summary>The selector (<c>s=</c>): the public key is published at <c>{selector}._domainkey.{domain}</c>.</summary>
    public string Selector { get; set; } = "";

    /// <summary>Path of a PEM file holding the RSA private key (PKCS#1 or PKCS#8).</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>The RSA private key as PEM text, instead of <see cref="PrivateKeyFile"/>.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>The first problem with this key's settings, or null.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Domain))
            return "Domain is required";
        if (string.IsNullOrWhiteSpace(Selector))
            return "Selector is required";
        if (string.IsNullOrWhiteSpace(PrivateKeyFile) == string.IsNullOrWhiteSpace(PrivateKey))
            return "give exactly one of PrivateKeyFile and PrivateKey";
        if (PrivateKeyFile is { Length: > 0 } file && !File.Exists(file))
            return $"PrivateKeyFile '{file}' does not exist";
        return null;
    }
}

/// <summary>The Postmark email API (<c>POST /email</c> with <c>X-Postmark-Server-Token</c>).</summary>
public sealed class PostmarkOptions
{
    /// <summary>The API's base address; a test points it at a local fake.</summary>
    public Uri BaseUrl { get; set; } = new("https://api.postmarkapp.com/");

    /// <summary>The server token of the Postmark server that sends for this shop.</summary>
    public string? ServerToken { get; set; }

    /// <summary>The message stream (<c>outbound</c> for transactional, or a broadcast stream).</summary>
    public string MessageStream { get; set; } = "outbound";
}
