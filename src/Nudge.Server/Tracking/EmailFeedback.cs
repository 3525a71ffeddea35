using Microsoft.Extensions.Options;
using Nudge.Channels.Email.Feedback;
using Nudge.Core.Consent;
using Nudge.Core.Tracking;
using Nudge.Server.Consent;
using Nudge.Storage.Events;
using Nudge.Storage.Outbox;
using Nudge.Storage.Profiles;
using Nudge.Storage.Suppressions;

namespace Nudge.Server.Tracking;

/// <summary>
/// Acts on bounces and complaints (ADR 0019): finds the message each is about (by the ref in its Message-ID or
/// X-Nudge-Ref, by the provider's message id, else the last message sent to the address), writes it into the
/// message's history and onto the profile's timeline, and suppresses the address: at once for a hard bounce or a
/// complaint, after <see cref="TrackingOptions.SoftBounceLimit"/> soft bounces within <see cref="TrackingOptions.SoftBounceWindow"/>.
/// </summary>
public sealed partial class EmailFeedback(
    FeedbackStore feedback,
    SuppressionStore suppressions,
    ProfileStore profiles,
    EventLog log,
    IOptions<TrackingOptions> options,
    TimeProvider time,
    ILogger<EmailFeedback> logger)
{
    /// <summary>The suppression list's source for addresses suppressed by bounces.</summary>
    public const string BounceSource = "bounce";

    /// <summary>The suppression list's source for addresses suppressed by complaints.</summary>
    public const string ComplaintSource = "complaint";

    /// <summary>Handles the reports received for a workspace; returns what became of each.</summary>
    public async Task<IReadOnlyList<FeedbackOutcome>> HandleAsync(string workspaceId, IReadOnlyList<MailFeedbackReport> reports, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var outcomes = new List<FeedbackOutcome>(reports.Count);
        foreach (var report in reports)
            outcomes.Add(await HandleAsync(workspaceId, report, ct));
        return outcomes;
    }

    private async Task<FeedbackOutcome> HandleAsync(string workspaceId, MailFeedbackReport report, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var at = report.At is { } reported && reported <= now ? reported : now;
        var message = await FindAsync(workspaceId, report, now, ct);
        var address = SuppressionAddress.Normalize(ConsentChannels.Email, report.Recipient ?? message?.Recipient, null);
        var kind = Name(report.Kind);
        if (message is null && address is null)
        {
            Log.Unmatched(logger, workspaceId, kind);
            return new FeedbackOutcome(kind, null, null, false);
        }

        var suppressed = false;
        switch (report.Kind)
        {
            case FeedbackKind.HardBounce when address is not null:
                await feedback.AddBounceAsync(new EmailBounce(workspaceId, address, true, message?.Id, at, report.Detail), ct);
                suppressed = await SuppressAsync(workspaceId, address, SuppressionReason.HardBounce, BounceSource, ct);
                break;
            case FeedbackKind.SoftBounce when address is not null:
                await feedback.AddBounceAsync(new EmailBounce(workspaceId, address, false, message?.Id, at, report.Detail), ct);
                var recent = await feedback.SoftBouncesSinceAsync(workspaceId, address, now - options.Value.SoftBounceWindow, ct);
                if (recent >= options.Value.SoftBounceLimit)
                    suppressed = await SuppressAsync(workspaceId, address, SuppressionReason.SoftBounce, BounceSource, ct);
                break;
            case FeedbackKind.Complaint:
                suppressed = address is not null && await SuppressAsync(workspaceId, address, SuppressionReason.Complaint, ComplaintSource, ct);
                break;
        }

        if (message is not null)
        {
            var (status, detail) = report.Kind switch
            {
                FeedbackKind.Delivered => (OutboxStatus.Delivered, report.Detail),
                FeedbackKind.Delayed => (OutboxStatus.Deferred, "the receiving system is still trying: " + report.Detail),
                FeedbackKind.HardBounce => (OutboxStatus.Bounced, "hard bounce: " + report.Detail),
                FeedbackKind.SoftBounce => (OutboxStatus.Bounced, "soft bounce: " + report.Detail),
                _ => (OutboxStatus.Complained, "complaint: " + report.Detail),
            };
            if (suppressed)
                detail += "; the address is suppressed";
            await feedback.RecordAsync([new MessageFeedback(message.Id, workspaceId, status, at, detail)], ct);
            await AppendEventAsync(message, report, at, ct);
        }
        return new FeedbackOutcome(kind, message?.Id, address, suppressed);
    }

    private async Task<OutboxMessage?> FindAsync(string workspaceId, MailFeedbackReport report, DateTimeOffset now, CancellationToken ct)
    {
        if (report.MessageRef is { } reference && await feedback.FindByRefAsync(workspaceId, reference, ct) is { } byRef)
            return byRef;
        if (report.ProviderMessageId is { } providerId && await feedback.FindByProviderIdAsync(workspaceId, providerId, ct) is { } byProvider)
            return byProvider;
        // A report naming only the address is about the last message that address was sent.
        return report.Recipient is { } recipient ? await feedback.LatestToAsync(workspaceId, recipient, now, ct) : null;
    }

    private async Task<bool> SuppressAsync(string workspaceId, string address, SuppressionReason reason, string source, CancellationToken ct)
    {
        var (_, added) = await suppressions.AddAsync(workspaceId, ConsentChannels.Email, address, reason, source, ct);
        if (added)
            Log.Suppressed(logger, workspaceId, SuppressionReasons.Name(reason));
        return true;
    }

    private async Task AppendEventAsync(OutboxMessage message, MailFeedbackReport report, DateTimeOffset at, CancellationToken ct)
    {
        if (report.Kind is not (FeedbackKind.HardBounce or FeedbackKind.SoftBounce or FeedbackKind.Complaint) || message.ProfileId is null
            || await PublicProfiles.OpenAsync(profiles, message.ProfileId, _ => Task.FromResult(true), ct) is not { } profile)
        {
            return;
        }
        var e = report.Kind == FeedbackKind.Complaint
            ? EmailEvents.For(message, profile.Id, EmailEventNames.MarkedAsSpam, $"complaint:{message.Id}", at, p => p["feedback_type"] = report.Status)
            : EmailEvents.For(message, profile.Id, EmailEventNames.Bounced, $"bounce:{message.Id}:{report.Status}", at, p =>
            {
                p["bounce_type"] = report.Kind == FeedbackKind.HardBounce ? "hard" : "soft";
                p["status"] = report.Status;
                p["diagnostic"] = report.Diagnostic;
            });
        await log.AppendAsync([e], ct);
    }

    private static string Name(FeedbackKind kind) => kind switch
    {
        FeedbackKind.Delivered => "delivered",
        FeedbackKind.Delayed => "delayed",
        FeedbackKind.SoftBounce => "soft_bounce",
        FeedbackKind.HardBounce => "hard_bounce",
        _ => "complaint",
    };

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "A {Kind} report for workspace {Workspace} names no message and no address; ignored")]
        public static partial void Unmatched(ILogger logger, string workspace, string kind);

        [LoggerMessage(Level = LogLevel.Information, Message = "An email address of workspace {Workspace} was suppressed ({Reason})")]
        public static partial void Suppressed(ILogger logger, string workspace, string reason);
    }
}

/// <summary>What became of one bounce or complaint report.</summary>
/// <param name="Kind">delivered, delayed, soft_bounce, hard_bounce or complaint.</param>
/// <param name="MessageId">The message it was matched to (<c>out_...</c>), if any.</param>
/// <param name="Address">The address it is about, if known.</param>
/// <param name="Suppressed">True when the address is on the suppression list because of it (now or already).</param>
public sealed record FeedbackOutcome(string Kind, string? MessageId, string? Address, bool Suppressed);
