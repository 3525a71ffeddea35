using System.Security.Cryptography;
using MimeKit.Cryptography;
using Nudge.Channels.Email;

namespace Nudge.Channels.Tests.Support;

/// <summary>
/// A fresh RSA-2048 DKIM key for shop.example and the DNS TXT record a receiver would find for it, served by a
/// key locator as DNS would serve it.
/// </summary>
public sealed class TestDkimKey : DkimPublicKeyLocatorBase, IDisposable
{
    public const string Domain = "shop.example";
    public const string Selector = "nudge1";

    private readonly RSA _rsa = RSA.Create(2048);

    /// <summary>The private key as a PEM (PKCS#1), as an operator would paste it into the settings.</summary>
    public string PrivateKeyPem => _rsa.ExportRSAPrivateKeyPem();

    /// <summary>The TXT record at nudge1._domainkey.shop.example.</summary>
    public string TxtRecord => $"v=DKIM1; k=rsa; p={Convert.ToBase64String(_rsa.ExportSubjectPublicKeyInfo())}";

    public DkimKeyOptions Options => new() { Domain = Domain, Selector = Selector, PrivateKey = PrivateKeyPem };

    public override Org.BouncyCastle.Crypto.AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        string.Equals(domain, Domain, StringComparison.OrdinalIgnoreCase) && selector == Selector
            ? GetPublicKey(TxtRecord)
            : throw new InvalidOperationException($"no DKIM key published for {selector}._domainkey.{domain}");

    public override Task<Org.BouncyCastle.Crypto.AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));

    public void Dispose() => _rsa.Dispose();
}
