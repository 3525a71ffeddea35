using System.Security.Cryptography;
using MimeKit.Cryptography;
using Nudge.Testing;

namespace Nudge.Server.Tests.Support;

/// <summary>The in-process Nudge sending its email through a pool into Postfix's smtp-sink.</summary>
public sealed class NudgeWithSmtp : NudgeApi, IAsyncLifetime
{
    private readonly RSA _dkim = RSA.Create(2048);

    public SmtpSink Sink { get; private set; } = null!;

    /// <summary>What a receiver finds in DNS for the configured DKIM key (nudge1._domainkey.shop.example).</summary>
    public IDkimPublicKeyLocator PublishedKeys => new PublishedKey($"v=DKIM1; k=rsa; p={Convert.ToBase64String(_dkim.ExportSubjectPublicKeyInfo())}");

    public async ValueTask InitializeAsync()
    {
        Sink = await SmtpSink.StartAsync(ct: CancellationToken.None);
        SendThrough(Sink);
        Settings["Nudge:Smtp:Dkim:0:Domain"] = "shop.example";
        Settings["Nudge:Smtp:Dkim:0:Selector"] = "nudge1";
        Settings["Nudge:Smtp:Dkim:0:PrivateKey"] = _dkim.ExportRSAPrivateKeyPem();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Sink.DisposeAsync();
        _dkim.Dispose();
    }

    private sealed class PublishedKey(string txt) : DkimPublicKeyLocatorBase
    {
        public override Org.BouncyCastle.Crypto.AsymmetricKeyParameter LocatePublicKey(
            string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            domain == "shop.example" && selector == "nudge1" ? GetPublicKey(txt) : throw new InvalidOperationException($"no key for {selector}._domainkey.{domain}");

        public override Task<Org.BouncyCastle.Crypto.AsymmetricKeyParameter> LocatePublicKeyAsync(
            string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
