using System.Net.Sockets;
using System.Threading.Channels;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using MimeKit;
using Nudge.Channels.Delivery;

namespace Nudge.Channels.Email.Smtp;

/// <summary>
/// Sends email through a fixed number of SMTP connections that stay open and are reused for message after message
/// (MailKit pipelines MAIL, RCPT and DATA when the relay offers PIPELINING). A connection is opened and
/// authenticated when first needed and again after it was lost; a message never waits for more than one connect.
/// </summary>
/// <remarks>
/// Each connection carries one message at a time, so when Nudge crashes at most one accepted-but-unrecorded message
/// per connection can be sent again (DESIGN: outbox and effectively-once delivery).
/// </remarks>
public sealed partial class SmtpPool : IEmailProvider, IAsyncDisposable, IDisposable
{
    private readonly Channel<Connection> _idle;
    private readonly Connection[] _connections;
    private readonly EmailComposer _composer;
    private readonly TimeProvider _time;
    private int _opened;

    /// <summary>A connection unused for longer than this is checked with NOOP first: relays close idle sessions.</summary>
    public static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(20);

    public SmtpPool(EmailOptions options, EmailComposer composer, TimeProvider time, ILogger<SmtpPool> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Host))
            throw new ArgumentException("An SMTP pool needs Nudge:Smtp:Host.", nameof(options));
        _composer = composer;
        _time = time;
        _idle = Channel.CreateBounded<Connection>(options.PoolSize);
        _connections = new Connection[options.PoolSize];
        for (var i = 0; i < _connections.Length; i++)
        {
            _connections[i] = new Connection(this, options, logger);
            _idle.Writer.TryWrite(_connections[i]);
        }
    }

    /// <summary>How many SMTP connections were opened since start: the pool size, plus one per reconnect.</summary>
    public int ConnectionsOpened => Volatile.Read(ref _opened);

    /// <summary>How many connections the pool keeps.</summary>
    public int Size => _connections.Length;

    /// <inheritdoc />
    public Task<SendOutcome> SendAsync(OutgoingEmail email, CancellationToken ct) =>
        // Composing and signing happen before a connection is taken: the connection waits only for the network.
        SendAsync(_composer.Compose(email), ct);

    /// <summary>Sends a composed message on the next free connection.</summary>
    public async Task<SendOutcome> SendAsync(MimeMessage message, CancellationToken ct)
    {
        var connection = await _idle.Reader.ReadAsync(ct);
        try
        {
            return await connection.SendAsync(message, ct);
        }
        finally
        {
            _idle.Writer.TryWrite(connection);
        }
    }

    /// <summary>Says goodbye (QUIT) on every open connection.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
            await connection.CloseAsync();
    }

    /// <summary>Closes every connection without QUIT (for hosts that dispose synchronously).</summary>
    public void Dispose()
    {
        foreach (var connection in _connections)
            connection.Abandon();
    }

    /// <summary>One SMTP session, reopened when lost.</summary>
    private sealed class Connection(SmtpPool pool, EmailOptions options, ILogger logger)
    {
        private SmtpClient? _client;
        private long _lastUsed;

        public async Task<SendOutcome> SendAsync(MimeMessage message, CancellationToken ct)
        {
            if (_client is { IsConnected: true } idle && pool._time.GetElapsedTime(_lastUsed) > IdleCheck && !await IsAliveAsync(idle, ct))
                Drop();
            _lastUsed = pool._time.GetTimestamp();
            if (_client is not { IsConnected: true })
            {
                try
                {
                    await OpenAsync(ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Drop();
                    Log.ConnectFailed(logger, options.Host!, options.Port, ex.Message);
                    return ex is SmtpCommandException refused
                        ? SendOutcome.Temporary($"{(int)refused.StatusCode} {refused.Message}".Trim())
                        : SendOutcome.Temporary($"cannot connect to {options.Host}:{options.Port}: {ex.Message}");
                }
            }

            var client = _client!;
            try
            {
                return SmtpReplies.Accepted(await client.SendAsync(message, ct));
            }
            catch (SmtpCommandException refused)
            {
                // MailKit resets the transaction after a refusal; a 421 or a dead session is not worth keeping.
                if ((int)refused.StatusCode == 421 || !client.IsConnected)
                    Drop();
                return SmtpReplies.Refused(refused);
            }
            catch (Exception ex) when (ex is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException or TimeoutException)
            {
                Drop();
                return SendOutcome.Temporary($"connection lost: {ex.Message}");
            }
            catch (OperationCanceledException)
            {
                // Mid-command the session's state is unknown.
                Drop();
                throw;
            }
        }

        /// <summary>
        /// A NOOP on a connection that sat idle: finding a relay's idle timeout here, before MAIL, means the message
        /// goes out on a new connection at once instead of failing and waiting for a retry.
        /// </summary>
        private static async Task<bool> IsAliveAsync(SmtpClient client, CancellationToken ct)
        {
            try
            {
                await client.NoOpAsync(ct);
                return true;
            }
            catch (Exception ex) when (ex is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException or SmtpCommandException)
            {
                return false;
            }
        }

        public async Task CloseAsync()
        {
            if (_client is not { } client)
                return;
            try
            {
                if (client.IsConnected)
                    await client.DisconnectAsync(quit: true, CancellationToken.None);
            }
            catch (Exception ex) when (ex is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException or SmtpCommandException)
            {
                // Closing anyway.
            }
            finally
            {
                Drop();
            }
        }

        private async Task OpenAsync(CancellationToken ct)
        {
            Drop();
            var client = new SmtpClient { Timeout = options.TimeoutSeconds * 1000 };
            _client = client;
            await client.ConnectAsync(options.Host!, options.Port, MailSecurity.Options(options.Security), ct);
            if (options.User is { Length: > 0 } user)
                await client.AuthenticateAsync(user, options.Password ?? "", ct);
            Interlocked.Increment(ref pool._opened);
        }

        public void Abandon() => Drop();

        private void Drop()
        {
            var client = _client;
            _client = null;
            client?.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot connect to the SMTP relay {Host}:{Port}: {Reason}")]
        public static partial void ConnectFailed(ILogger logger, string host, int port, string reason);
    }
}
