using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.Cryptography;

namespace Nudge.Channels.Email;

/// <summary>
/// DKIM-signs messages (RFC 6376, rsa-sha256, relaxed/relaxed) with the key of their From domain. MimeKit's
/// <see cref="DkimSigner"/> signs through BouncyCastle's managed RSA at about 170 signatures/s per core; this signs
/// the same bytes with the platform's RSA (OpenSSL), about ten times faster, so messages stay verifiable by <see cref="DkimVerifier"/> and every receiver.
/// </summary>
/// <remarks>ADR 0012. One signature per message; the RSA keys are parsed once and reused.</remarks>
public sealed class DkimSigning
{
    /// <summary>The headers signed, in this order, when the message has them (RFC 8058 asks for both List-Unsubscribe ones).</summary>
    public static readonly IReadOnlyList<string> SignedHeaders =
        ["from", "to", "subject", "date", "message-id", "mime-version", "content-type", "list-unsubscribe", "list-unsubscribe-post"];

    private static readonly FormatOptions BodyFormat = CreateBodyFormat();

    private readonly Dictionary<string, DomainKey> _keys;
    private readonly TimeProvider _time;

    public DkimSigning(IEnumerable<DkimKeyOptions> keys, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _time = time;
        _keys = new Dictionary<string, DomainKey>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in keys)
        {
            var pem = key.PrivateKey is { Length: > 0 } text ? text : File.ReadAllText(key.PrivateKeyFile!);
            _keys[key.Domain.Trim()] = new DomainKey(key.Domain.Trim().ToLowerInvariant(), key.Selector.Trim(), pem);
        }
    }

    /// <summary>True when a key for <paramref name="domain"/> is configured.</summary>
    public bool Signs(string domain) => _keys.ContainsKey(domain);

    /// <summary>
    /// Adds a DKIM-Signature header when the From domain has a key; false when it has none. Call after the message
    /// is complete and prepared for 7-bit transport: later changes break the signature.
    /// </summary>
    public bool Sign(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var from = message.From.Mailboxes.FirstOrDefault()?.Domain;
        if (from is null || !_keys.TryGetValue(from, out var key))
            return false;

        var bodyHash = BodyHash(message);
        var signed = SignedHeaders.Where(name => Find(message, name) is not null).ToList();
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        // Folded at tag boundaries only: the relaxed canonical form of the header is then exactly one space per fold.
        var unsigned =
            $" v=1; a=rsa-sha256; c=relaxed/relaxed; d={key.Domain}; s={key.Selector}; t={timestamp};\r\n" +
            $"\th={string.Join(':', signed)};\r\n\tbh={Convert.ToBase64String(bodyHash)};\r\n\tb=";

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in signed)
        {
            AppendRelaxed(hash, name, Find(message, name)!.RawValue, trailingNewLine: true);
        }
        AppendRelaxed(hash, "dkim-signature", Encoding.ASCII.GetBytes(unsigned), trailingNewLine: false);

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        var signature = key.SignHash(digest);

        var dkim = new Header(HeaderId.DkimSignature, "v=1");
        dkim.SetRawValue(Encoding.ASCII.GetBytes(unsigned + Convert.ToBase64String(signature) + "\r\n"));
        message.Headers.Insert(0, dkim);
        return true;
    }

    /// <summary>The SHA-256 of the relaxed canonical body, as MimeKit writes it to the wire.</summary>
    private static byte[] BodyHash(MimeMessage message)
    {
        using var hashing = new RelaxedBodyHash();
        message.Body?.WriteTo(BodyFormat, hashing, contentOnly: true);
        return hashing.Finish();
    }

    /// <summary>
    /// The last (bottom-most, as verifiers pick it) header of that name; Content-* headers live on the body entity in
    /// MimeKit and are written into the message's header block.
    /// </summary>
    private static Header? Find(MimeMessage message, string name)
    {
        var headers = name.StartsWith("content-", StringComparison.Ordinal) && message.Body is { } body ? body.Headers : message.Headers;
        for (var i = headers.Count - 1; i >= 0; i--)
        {
            if (string.Equals(headers[i].Field, name, StringComparison.OrdinalIgnoreCase))
                return headers[i];
        }
        return null;
    }

    /// <summary>
    /// The relaxed header canonicalization (RFC 6376 3.4.2): the name in lower case, the value unfolded, runs of
    /// whitespace as one space, no whitespace at either end.
    /// </summary>
    private static void AppendRelaxed(IncrementalHash hash, string name, byte[] rawValue, bool trailingNewLine)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(name.Length + rawValue.Length + 3);
        try
        {
            var length = Encoding.ASCII.GetBytes(name, buffer);
            buffer[length++] = (byte)':';
            var pendingSpace = false;
            var started = false;
            foreach (var b in rawValue)
            {
                if (b is (byte)'\r' or (byte)'\n')
                    continue;
                if (b is (byte)' ' or (byte)'\t')
                {
                    pendingSpace = started;
                    continue;
                }
                if (pendingSpace)
                {
                    buffer[length++] = (byte)' ';
                    pendingSpace = false;
                }
                buffer[length++] = b;
                started = true;
            }
            if (trailingNewLine)
            {
                buffer[length++] = (byte)'\r';
                buffer[length++] = (byte)'\n';
            }
            hash.AppendData(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static FormatOptions CreateBodyFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.EnsureNewLine = true;
        return format;
    }

    /// <summary>
    /// A domain's key. RSA objects are not documented as safe for concurrent use, so each signing borrows one;
    /// there are never more than the threads signing at once.
    /// </summary>
    private sealed class DomainKey(string domain, string selector, string pem)
    {
        private readonly ConcurrentBag<RSA> _idle = [];

        public string Domain { get; } = domain;

        public string Selector { get; } = selector;

        public byte[] SignHash(ReadOnlySpan<byte> digest)
        {
            if (!_idle.TryTake(out var rsa))
            {
                rsa = RSA.Create();
                rsa.ImportFromPem(pem);
            }
            try
            {
                return rsa.SignHash(digest.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
            finally
            {
                _idle.Add(rsa);
            }
        }
    }

    /// <summary>
    /// A write-only stream that hashes the relaxed canonical form (RFC 6376 3.4.4) of the CRLF body written to it:
    /// whitespace runs as one space, none at line ends, no empty lines at the end, one CRLF after the last line.
    /// </summary>
    private sealed class RelaxedBodyHash : Stream
    {
        private static readonly byte[] NewLine = "\r\n"u8.ToArray();

        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] _out = new byte[4096];
        private int _used;
        private bool _space;
        private int _newLines;
        private bool _any;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public byte[] Finish()
        {
            if (_any)
                Emit(NewLine);
            _hash.AppendData(_out, 0, _used);
            _used = 0;
            return _hash.GetHashAndReset();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            foreach (var b in buffer)
            {
                switch (b)
                {
                    case (byte)'\r':
                        break;
                    case (byte)'\n':
                        _space = false;
                        _newLines++;
                        break;
                    case (byte)' ' or (byte)'\t':
                        _space = true;
                        break;
                    default:
                        for (; _newLines > 0; _newLines--)
                            Emit(NewLine);
                        if (_space)
                        {
                            Emit((byte)' ');
                            _space = false;
                        }
                        Emit(b);
                        _any = true;
                        break;
                }
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _hash.Dispose();
            base.Dispose(disposing);
        }

        private void Emit(ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes)
                Emit(b);
        }

        private void Emit(byte b)
        {
            if (_used == _out.Length)
            {
                _hash.AppendData(_out, 0, _used);
                _used = 0;
            }
            _out[_used++] = b;
        }
    }
}
