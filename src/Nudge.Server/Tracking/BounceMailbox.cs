using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Options;
using Nudge.Channels.Email;
using Nudge.Channels.Email.Feedback;
using Nudge.Storage.Keys;
using Nudge.Storage.Outbox;

namespace Nudge.Server.Tracking;

/// <summary>
/// Reads the bounce mailbox over IMAP (ADR 0023): every <see cref="BounceMailboxOptions.PollInterval"/>, and when asked
/// through the API, it looks at the unread messages, hands the bounces and complaints among them to
/// <see cref="EmailFeedback"/> and marks each read (or moves it) once handled. Other mail stays unread for people.
/// </summary>
public sealed partial class BounceMailbox(
    IOptions<BounceMailboxOptions> options,
    IOptions<TrackingOptions> tracking,
    EmailFeedback feedback,
    FeedbackStore messages,
    KeyStore keys,
    TimeProvider time,
    ILogger<BounceMailbox> logger) : BackgroundService
{
    private readonly BounceMailboxOptions _options = options.Value;
    private readonly SemaphoreSlim _turn = new(1, 1);

    // Mail that is not a report stays unread; its uids are remembered so that each poll does not download it again.
    // Uids are only valid with the folder's UIDVALIDITY, so a new one forgets them.
    private readonly HashSet<uint> _passedOver = [];
    private uint _uidValidity;

    // Replaced as a whole after each reading, so a status request never sees half of one.
    private Readings _readings = new(null, null);
    private long _reports;
    private long _suppressed;

    /// <summary>The settings and what the readings found so far.</summary>
    public BounceMailboxStatus Status()
    {
        if (!_options.Enabled)
            return new BounceMailboxStatus(false, null, null, null, null, null, null, null, null, 0, 0);
        var readings = Volatile.Read(ref _readings);
        return new BounceMailboxStatus(true, _options.Host, _options.Port, _options.User, _options.Folder, _options.ProcessedFolder,
            _options.PollInterval, readings.Last, readings.LastSuccessAt, Interlocked.Read(ref _reports), Interlocked.Read(ref _suppressed));
    }

    /// <summary>Reads the mailbox now (after a reading under way ends); a failure is reported in the result, not thrown.</summary>
    /// <exception cref="InvalidOperationException">No mailbox is configured.</exception>
    public async Task<BounceMailboxPoll> PollAsync(CancellationToken ct)
    {
        if (!_options.Enabled)
            throw new InvalidOperationException("No bounce mailbox is configured (Nudge:BounceMailbox:Host).");
        await _turn.WaitAsync(ct);
        try
        {
            var at = time.GetUtcNow();
            var counts = new PollCounts();
            BounceMailboxPoll poll;
            try
            {
                await ReadAsync(counts, ct);
                poll = counts.Poll(at, null);
            }
            catch (Exception ex) when (IsMailboxProblem(ex))
            {
                Log.ReadFailed(logger, _options.Host!, _options.Port, ex.Message);
                poll = counts.Poll(at, ex.Message);
            }
            Volatile.Write(ref _readings, new Readings(poll, poll.Ok ? at : _readings.LastSuccessAt));
            return poll;
        }
        finally
        {
            _turn.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
            return;
        try
        {
            while (true)
            {
                await PollAsync(stoppingToken);
                await Task.Delay(_options.PollInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _turn.Dispose();
        base.Dispose();
    }

    private async Task ReadAsync(PollCounts counts, CancellationToken ct)
    {
        var fallback = await FallbackWorkspaceAsync(ct);

        using var client = new ImapClient { Timeout = _options.TimeoutSeconds * 1000 };
        await client.ConnectAsync(_options.Host!, _options.Port, MailSecurity.Options(_options.Security), ct);
        await client.AuthenticateAsync(_options.User!, _options.Password!, ct);
        var folder = await FolderAsync(client, _options.Folder, create: false, ct);
        await folder.OpenAsync(FolderAccess.ReadWrite, ct);
        if (folder.UidValidity != _uidValidity)
        {
            _passedOver.Clear();
            _uidValidity = folder.UidValidity;
        }

        var unread = (await folder.SearchAsync(SearchQuery.NotSeen, ct)).Where(uid => !_passedOver.Contains(uid.Id)).Take(_options.MaxMessagesPerPoll).ToList();
        if (unread.Count > 0)
        {
            var processed = _options.ProcessedFolder is { Length: > 0 } name ? await FolderAsync(client, name, create: true, ct) : null;
            var summaries = await folder.FetchAsync(unread, new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Size), ct);
            foreach (var summary in summaries)
                await HandleAsync(folder, processed, summary, fallback, counts, ct);
        }
        await client.DisconnectAsync(true, ct);
    }

    private async Task HandleAsync(
        IMailFolder folder, IMailFolder? processed, IMessageSummary summary, string? fallback, PollCounts counts, CancellationToken ct)
    {
        counts.Messages++;
        var uid = summary.UniqueId;
        // GetMessage fetches BODY.PEEK[]: reading does not mark the message read, so mail left alone stays unread.
        var reports = summary.Size <= tracking.Value.MaxFeedbackBytes ? FeedbackReports.Parse(await folder.GetMessageAsync(uid, ct)) : [];
        if (reports.Count == 0)
        {
            _passedOver.Add(uid.Id);
            counts.PassedOver++;
            return;
        }

        foreach (var report in reports)
        {
            counts.Reports++;
            var workspace = report.MessageRef is { } reference && await messages.WorkspaceOfRefAsync(reference, ct) is { } sent ? sent : fallback;
            var outcome = workspace is null ? null : (await feedback.HandleAsync(workspace, [report], ct))[0];
            if (outcome is null || (outcome.MessageId is null && outcome.Address is null))
                counts.Unmatched++;
            else if (outcome.Suppressed)
            {
                counts.Suppressed++;
                Interlocked.Increment(ref _suppressed);
            }
        }
        Interlocked.Add(ref _reports, reports.Count);
        // Marked one by one: a crash re-handles at most the message in hand, and feedback is idempotent per message.
        await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Silent = true }, ct);
        if (processed is not null)
            await folder.MoveToAsync(uid, processed, ct);
    }

    /// <summary>
    /// The workspace of reports that quote no message Nudge sent: the configured one (which must exist), else the only
    /// one; null when there are several. Looked up once per reading, not per report.
    /// </summary>
    private async Task<string?> FallbackWorkspaceAsync(CancellationToken ct)
    {
        if (_options.Workspace is { Length: > 0 } configured)
        {
            return await keys.FindWorkspaceAsync(configured, ct) is not null
                ? configured
                : throw new MailboxSettingsException($"Nudge:BounceMailbox:Workspace names no workspace: '{configured}'");
        }
        var workspaces = await keys.WorkspaceIdsAsync(2, ct);
        return workspaces.Count == 1 ? workspaces[0] : null;
    }

    private static async Task<IMailFolder> FolderAsync(ImapClient client, string name, bool create, CancellationToken ct)
    {
        if (string.Equals(name, "INBOX", StringComparison.OrdinalIgnoreCase))
            return client.Inbox;
        try
        {
            return await client.GetFolderAsync(name, ct);
        }
        catch (FolderNotFoundException) when (create)
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            return await root.CreateAsync(name, isMessageFolder: true, ct) ?? throw new FolderNotFoundException(name);
        }
    }

    private static bool IsMailboxProblem(Exception ex) =>
        ex is IOException or SocketException or TimeoutException or MailKit.ProtocolException or MailKit.CommandException
            or AuthenticationException or SslHandshakeException or FolderNotFoundException or ServiceNotConnectedException
            or ServiceNotAuthenticatedException or MailboxSettingsException;

    private sealed class PollCounts
    {
        public int Messages { get; set; }
        public int Reports { get; set; }
        public int Suppressed { get; set; }
        public int Unmatched { get; set; }
        public int PassedOver { get; set; }

        public BounceMailboxPoll Poll(DateTimeOffset at, string? error) =>
            new(at, error is null, error, Messages, Reports, Suppressed, Unmatched, PassedOver);
    }

    private sealed class MailboxSettingsException(string message) : Exception(message);

    private sealed record Readings(BounceMailboxPoll? Last, DateTimeOffset? LastSuccessAt);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the bounce mailbox at {Host}:{Port}: {Reason}")]
        public static partial void ReadFailed(ILogger logger, string host, int port, string reason);
    }
}
