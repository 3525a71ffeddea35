using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Nudge.Channels.Templates;
using Nudge.Channels.Templates.Email;
using Nudge.Core.Consent;
using Nudge.Core.Delivery;
using Nudge.Core.Profiles;
using Nudge.Engine.Consent;
using Nudge.Engine.Profiles;
using Nudge.Server.Coupons;
using Nudge.Server.Templates;
using Nudge.Server.Tracking;
using Nudge.Storage.Flows;
using Nudge.Storage.Outbox;
using Nudge.Storage.Suppressions;
using Nudge.Storage.Templates;
using Nudge.Storage.Tracking;

namespace Nudge.Server.Delivery;

/// <summary>
/// Turns the messages flows queue (template, run, step) into messages ready to send: applies the delivery policy
/// (consent, suppression, smart sending, frequency caps, quiet hours), renders the template for the recipient with
/// the run's trigger event, and hands the result to the channel's worker as 'pending'. Every decision goes into the
/// message's history: prepared, skipped (with the rule and reason), delayed (until when) or failed (why).
/// </summary>
/// <remarks>
/// Messages are claimed with a lease; preparing sends nothing, so a crash mid-way only means they are prepared again.
/// Messages of one profile claimed together are decided together, highest priority first (<see cref="DeliveryPolicy.DecideAll"/>).
/// </remarks>
public sealed partial class MessagePreparation(
    OutboxStore outbox,
    IGrainFactory grains,
    FlowRunStore runs,
    SuppressionStore suppressions,
    TemplateStore templates,
    WorkspaceTemplates workspaces,
    EmailRenderer emails,
    TemplateEngine engine,
    PreferenceLinks links,
    RunCoupons coupons,
    TemplateLookups lookups,
    TrackingLinks tracking,
    TrackingSettingsStore trackingSettings,
    WorkspaceDeliveryPolicies policies,
    IOptions<TemplatesOptions> templateOptions,
    TimeProvider time,
    ILogger<MessagePreparation> logger) : BackgroundService
{
    private const int BatchSize = 200;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(200);

    /// <summary>The channels whose messages are prepared here.</summary>
    private static readonly string[] Channels = [ConsentChannels.Email, ConsentChannels.Sms, ConsentChannels.Push, Webhook];

    private const string Webhook = "webhook";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await PrepareDueAsync(stoppingToken) == 0)
                    await Task.Delay(Idle, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.PreparationFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
            }
        }
    }

    /// <summary>Prepares the queued email and SMS messages that are due; returns how many.</summary>
    public async Task<int> PrepareDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var claimed = new List<OutboxMessage>();
        foreach (var channel in Channels)
            claimed.AddRange(await outbox.ClaimQueuedAsync(channel, now, now + Lease, BatchSize, ct));
        var prepared = new List<PreparedMessage>(claimed.Count);
        foreach (var group in claimed.GroupBy(m => m.ProfileId ?? ""))
            prepared.AddRange(await PrepareAsync(group.Key, [.. group], now, ct));
        await outbox.PreparedAsync(prepared, ct);
        return claimed.Count;
    }

    private async Task<IReadOnlyList<PreparedMessage>> PrepareAsync(string profileId, IReadOnlyList<OutboxMessage> messages, DateTimeOffset now, CancellationToken ct)
    {
        // Asked of the grain, not the table: the stored profile may lag the events that started the run by a checkpoint.
        if (profileId.Length == 0 || await grains.GetGrain<IProfileGrain>(profileId).GetAsync() is not { } profile)
            return [.. messages.Select(m => Skip(m, now, "recipient", "the profile no longer exists (erased or unknown)"))];

        // The workspace's own settings (ADR 0020), kept in memory: no settings read per message.
        var policy = await policies.ForAsync(profile.WorkspaceId, ct);
        var suppressed = new HashSet<string>(StringComparer.Ordinal);
        if (profile.Email is { } email && (await suppressions.FilterAsync(profile.WorkspaceId, ConsentChannels.Email, [email], ct)).Count > 0)
            suppressed.Add(ConsentChannels.Email);
        if (profile.Phone is { } phone && (await suppressions.FilterAsync(profile.WorkspaceId, ConsentChannels.Sms, [phone], ct)).Count > 0)
            suppressed.Add(ConsentChannels.Sms);
        var recent = (await outbox.RecentSendsAsync(profileId, now - policy.HistoryNeeded, ct)).Select(s => new PastSend(s.Channel, s.At, s.Transactional)).ToList();
        var facts = new RecipientFacts(profile, suppressed, recent);
        var candidates = messages.Select(m => new DeliveryCandidate(m.Id, profileId, m.Channel, m.Flow?.Transactional ?? false, m.Flow?.Priority ?? 0,
            m.Flow?.SmartSending, m.CreatedAt)).ToList();

        var results = new List<PreparedMessage>(messages.Count);
        foreach (var (candidate, decision) in policy.DecideAll(candidates, facts, now))
        {
            var message = messages.First(m => m.Id == candidate.MessageId);
            results.Add(decision.Verdict switch
            {
                DeliveryVerdict.Skip => Skip(message, now, decision.Rule, decision.Reason),
                DeliveryVerdict.Delay => new PreparedMessage(message.Id, OutboxStatus.Queued, OutboxStatus.Delayed, now, null, null, null, null,
                    decision.NotBefore, $"{decision.Rule}: {decision.Reason}"),
                _ => await RenderAsync(message, profile, now, ct),
            });
        }
        return results;
    }

    private async Task<PreparedMessage> RenderAsync(OutboxMessage message, Profile profile, DateTimeOffset now, CancellationToken ct)
    {
        if (message.Channel == Webhook)
            return new PreparedMessage(message.Id, OutboxStatus.Pending, "prepared", now, null, null, null,
                (await WebhookBodyAsync(message, profile, now, ct)).ToJsonString(), now, "webhook body written");
        var isSms = message.Channel == ConsentChannels.Sms;
        var isPush = message.Channel == ConsentChannels.Push;
        // A push goes to every browser the person subscribed; the worker looks them up when it sends.
        if ((isPush ? profile.Id : isSms ? profile.Phone : profile.Email) is not { } address)
            return Skip(message, now, "recipient", isSms ? "the profile has no phone number" : "the profile has no email address");
        if (message.Flow?.TemplateId is not { } templateId
            || await templates.GetAsync(message.WorkspaceId, templateId, ct) is not { } template
            || await templates.GetVersionAsync(message.WorkspaceId, templateId, template.Version, ct) is not { } version)
        {
            return Failed(message, now, $"template '{message.Flow?.TemplateId}' does not exist in this workspace");
        }

        try
        {
            var compiled = await workspaces.CompileAsync(message.WorkspaceId, version, ct);
            var unsubscribe = await links.UnsubscribeAsync(message.WorkspaceId, profile.Id, message.Channel, ct);
            var messageLinks = await tracking.ForMessageAsync(message.WorkspaceId, message.Id, message.MessageKey, ct);
            var isEmail = !isSms && !isPush;
            var trigger = await TriggerAsync(message, ct);
            var input = RenderInput.ForProfile(profile) with
            {
                Event = EventOf(trigger),
                Lookups = lookups.For(message.WorkspaceId, profile.Id, PropertiesOf(trigger), ct),
                Coupon = await coupons.ForRunAsync(message.WorkspaceId, message.Flow?.RunId, ct),
                Links = new TemplateLinks(
                    (isEmail ? TrackingLinks.Attributed(unsubscribe, message.Id) : unsubscribe).ToString(),
                    (await links.PreferencesAsync(message.WorkspaceId, profile.Id, ct)).ToString(),
                    isEmail ? messageLinks.View() : null),
            };
            var settings = input.Settings(templateOptions.Value.DefaultCurrency, templateOptions.Value.DefaultLocale);
            if (isSms || isPush)
            {
                var kind = isSms ? TemplateKind.Sms : TemplateKind.Push;
                if (compiled.Kind != kind)
                    return Failed(message, now, $"template '{templateId}' is a {compiled.Kind.ToString().ToLowerInvariant()} template, not a {message.Channel} template");
                var variables = input.ToVariables();
                var text = await engine.RenderAsync(compiled, "body", variables, settings, now);
                var title = isPush ? await engine.RenderAsync(compiled, "subject", variables, settings, now) : null;
                return new PreparedMessage(message.Id, OutboxStatus.Pending, "prepared", now, address, title?.Output.Trim(), null, text.Output.Trim(), now,
                    $"rendered {templateId} v{version.Version}{Missing(text.Missing.Concat(title?.Missing ?? []))}") { TemplateVersion = (int)version.Version };
            }
            var rendered = await emails.RenderAsync(compiled, input.ToVariables(), settings, now, await TrackingAsync(message, messageLinks, ct));
            return new PreparedMessage(message.Id, OutboxStatus.Pending, "prepared", now, address, rendered.Subject, rendered.Html, rendered.Text, now,
                $"rendered {templateId} v{version.Version}{Tracked(rendered.Tracking)}{Missing(rendered.Missing.Select(m => m.Path))}")
            {
                TemplateVersion = (int)version.Version,
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Failed(message, now, $"rendering {templateId} v{version.Version} failed: {ex.Message}");
        }
    }

    /// <summary>
    /// How a marketing email is tracked, as its workspace's settings allow (ADR 0019): links to the web become signed
    /// click redirects (Nudge's own unsubscribe, preference and tracking pages excepted) and an open pixel is added.
    /// Transactional messages (receipts, password resets) are not tracked.
    /// </summary>
    private async Task<EmailTracking?> TrackingAsync(OutboxMessage message, TrackingLinks.MessageLinks messageLinks, CancellationToken ct)
    {
        if (message.Flow is { Transactional: true })
            return null;
        var settings = await trackingSettings.GetAsync(message.WorkspaceId, ct);
        if (!settings.Opens && !settings.Clicks)
            return null;
        return new EmailTracking(
            settings.Clicks ? url => tracking.IsOwnPage(url) ? null : messageLinks.Click(url) : null,
            settings.Opens ? messageLinks.Open() : null);
    }

    private static string Tracked(TrackingApplied? applied) => applied switch
    {
        null => "",
        { Pixel: true } => $"; tracked: {applied.Links} links, opens",
        _ => $"; tracked: {applied.Links} links",
    };

    /// <summary>What a webhook step posts: the flow, run and step, the person, and the event that started the run.</summary>
    private async Task<JsonObject> WebhookBodyAsync(OutboxMessage message, Profile profile, DateTimeOffset now, CancellationToken ct) => new()
    {
        ["type"] = "flow.webhook",
        ["sent_at"] = now.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["flow_id"] = message.Flow?.FlowId,
        ["run_id"] = message.Flow?.RunId,
        ["step_id"] = message.Flow?.StepId,
        ["profile"] = RenderInput.ForProfile(profile).Profile,
        ["event"] = EventOf(await TriggerAsync(message, ct)),
    };

    /// <summary>The event that started the message's run, as the run stored it; null for a run without one.</summary>
    private async Task<JsonObject?> TriggerAsync(OutboxMessage message, CancellationToken ct)
    {
        if (message.Flow?.RunId is not { } runId || await runs.GetAsync(message.WorkspaceId, runId, ct) is not { } run
            || run.Trigger.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        return JsonNode.Parse(run.Trigger.GetRawText())!.AsObject();
    }

    /// <summary>A track event's properties (what the event says about products); a manual start's data as it is.</summary>
    private static JsonObject? PropertiesOf(JsonObject? trigger) => trigger?["properties"] as JsonObject ?? trigger;

    /// <summary>The trigger as templates see <c>event</c>: its properties, name and time.</summary>
    private static JsonObject? EventOf(JsonObject? trigger)
    {
        if (PropertiesOf(trigger) is not { } properties)
            return null;
        var result = (JsonObject)properties.DeepClone();
        if (trigger!["event"] is JsonValue name)
            result["name"] = name.DeepClone();
        if (trigger["timestamp"] is JsonValue timestamp)
            result["timestamp"] = timestamp.DeepClone();
        return result;
    }

    private static string Missing(IEnumerable<string> paths) =>
        paths.Distinct().ToList() is { Count: > 0 } missing ? "; missing: " + string.Join(", ", missing) : "";

    private static PreparedMessage Skip(OutboxMessage message, DateTimeOffset now, string rule, string reason) =>
        new(message.Id, OutboxStatus.Skipped, OutboxStatus.Skipped, now, null, null, null, null, null, $"{rule}: {reason}");

    private static PreparedMessage Failed(OutboxMessage message, DateTimeOffset now, string reason) =>
        new(message.Id, OutboxStatus.Failed, OutboxStatus.Failed, now, null, null, null, null, null, reason);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Preparing queued messages failed; retrying")]
        public static partial void PreparationFailed(ILogger logger, Exception exception);
    }
}
