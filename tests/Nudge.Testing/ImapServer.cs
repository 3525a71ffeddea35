using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Nudge.Testing;

/// <summary>
/// Dovecot (Debian package <c>dovecot-imapd</c>) serving one mailbox over plain IMAP on a free port of 127.0.0.1, with
/// its configuration, sockets and maildir in a temporary folder. Tests put mail in with IMAP APPEND and look at what
/// is left, read or moved. Disposing it stops Dovecot and deletes the folder.
/// </summary>
public sealed class ImapServer : IAsyncDisposable
{
    private const string Host = "127.0.0.1";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly string _root;
    private Process? _process;

    private ImapServer(string root, int port, string user, string password)
    {
        _root = root;
        Port = port;
        User = user;
        Password = password;
    }

    /// <summary>The host to connect to.</summary>
    public static string Address => Host;

    /// <summary>The TCP port on 127.0.0.1 (plain IMAP; STARTTLS is not offered).</summary>
    public int Port { get; }

    /// <summary>The mailbox's user name.</summary>
    public string User { get; }

    /// <summary>The mailbox's password.</summary>
    public string Password { get; }

    /// <summary>Starts Dovecot with one mailbox <paramref name="user"/> on a free port.</summary>
    /// <exception cref="InvalidOperationException">Dovecot is not installed, or it did not start listening.</exception>
    public static async Task<ImapServer> StartAsync(string user = "bounces", string password = "mailbox-secret", CancellationToken ct = default)
    {
        var binary = Find();
        var root = Directory.CreateTempSubdirectory("nudge-imap-").FullName;
        var server = new ImapServer(root, FreePort.Next(), user, password);
        try
        {
            server.WriteConfiguration();
            await server.RunAsync(binary, ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Puts a message into <paramref name="folder"/>, unread.</summary>
    public async Task AppendAsync(string mime, string folder = "INBOX", CancellationToken ct = default)
    {
        using var client = await ConnectAsync(ct);
        var target = await FolderAsync(client, folder, ct);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mime));
        var message = await MimeMessage.LoadAsync(stream, ct);
        await target.AppendAsync(new AppendRequest(message, MessageFlags.None), ct);
        await client.DisconnectAsync(true, ct);
    }

    /// <summary>The subjects of the messages in <paramref name="folder"/> that are unread / read; empty lists for a folder that does not exist.</summary>
    public async Task<(IReadOnlyList<string> Unread, IReadOnlyList<string> Read)> SubjectsAsync(string folder = "INBOX", CancellationToken ct = default)
    {
        using var client = await ConnectAsync(ct);
        IMailFolder target;
        try
        {
            target = await FolderAsync(client, folder, ct);
        }
        catch (FolderNotFoundException)
        {
            return ([], []);
        }
        await target.OpenAsync(FolderAccess.ReadOnly, ct);
        var unread = await SubjectsAsync(target, SearchQuery.NotSeen, ct);
        var read = await SubjectsAsync(target, SearchQuery.Seen, ct);
        await client.DisconnectAsync(true, ct);
        return (unread, read);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
        TempFolders.TryDelete(_root);
    }

    private static async Task<IReadOnlyList<string>> SubjectsAsync(IMailFolder folder, SearchQuery query, CancellationToken ct)
    {
        var uids = await folder.SearchAsync(query, ct);
        if (uids.Count == 0)
            return [];
        var summaries = await folder.FetchAsync(uids, new FetchRequest(MessageSummaryItems.Envelope), ct);
        return summaries.Select(s => s.Envelope?.Subject ?? "").ToList();
    }

    private static async Task<IMailFolder> FolderAsync(ImapClient client, string name, CancellationToken ct) =>
        string.Equals(name, "INBOX", StringComparison.OrdinalIgnoreCase) ? client.Inbox : await client.GetFolderAsync(name, ct);

    private async Task<ImapClient> ConnectAsync(CancellationToken ct)
    {
        var client = new ImapClient();
        await client.ConnectAsync(Host, Port, SecureSocketOptions.None, ct);
        await client.AuthenticateAsync(User, Password, ct);
        return client;
    }

    private void WriteConfiguration()
    {
        var run = Directory.CreateDirectory(Path.Combine(_root, "run")).FullName;
        var mail = Directory.CreateDirectory(Path.Combine(_root, "mail")).FullName;
        var root = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
        // As root, Dovecot drops mail access to an unprivileged user; otherwise everything runs as the current user.
        var mailUser = root ? "uid=nobody gid=nogroup" : $"uid={Environment.UserName} gid={Environment.UserName}";
        var ownUsers = root ? "" : $"default_internal_user = {Environment.UserName}\ndefault_login_user = {Environment.UserName}\n";
        if (root && !OperatingSystem.IsWindows())
        {
            // Dovecot's auth and mail processes run as other users: they must reach the password file and the maildir.
            File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
                | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.SetUnixFileMode(mail, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
                | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        }
        File.WriteAllText(Path.Combine(_root, "users"), $"{User}:{{PLAIN}}{Password}\n");
        File.WriteAllText(Path.Combine(_root, "dovecot.conf"), string.Create(CultureInfo.InvariantCulture, $$"""
            base_dir = {{run}}
            state_dir = {{run}}
            log_path = {{Path.Combine(_root, "dovecot.log")}}
            {{ownUsers}}protocols = imap
            listen = {{Host}}
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            mail_location = maildir:{{mail}}/%u
            first_valid_uid = 1
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{Path.Combine(_root, "users")}}
            }
            userdb {
              driver = static
              args = {{mailUser}} home={{mail}}/%u
            }
            service imap-login {
              inet_listener imap {
                address = {{Host}}
                port = {{Port}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            service stats {
              unix_listener stats-reader {
                mode = 0666
              }
              unix_listener stats-writer {
                mode = 0666
              }
            }

            """));
    }

    private async Task RunAsync(string binary, CancellationToken ct)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-F");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Path.Combine(_root, "dovecot.conf"));
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
        _process = process;
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);

        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"dovecot exited with code {process.ExitCode}: {await errors} {Log()}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(Host, Port, ct);
                return;
            }
            catch (SocketException) when (clock.Elapsed < StartTimeout)
            {
                await Task.Delay(20, ct);
            }
        }
    }

    private string Log()
    {
        var path = Path.Combine(_root, "dovecot.log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    private static string Find() =>
        new[] { "/usr/sbin/dovecot", "/usr/local/sbin/dovecot" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("dovecot is not installed: install the Debian package dovecot-imapd (./test.sh does).");
}
