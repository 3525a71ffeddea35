using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Nudge.Core.Tracking;
using Nudge.Server.Consent;
using Nudge.Storage.Events;
using Nudge.Storage.Outbox;
using Nudge.Storage.Profiles;

namespace Nudge.Server.Tracking;

/// <summary>
/// The public tracking endpoints people's mail clients reach (ADR 0019): the open pixel, click redirects and the
/// message in the browser. Each checks the link's signature first and answers 400 to an unsigned or tampered link,
/// so Nudge never redirects anywhere its own emails did not point. Each records an event on the profile (flagged
/// when a machine made it) and a line in the message's history.
/// </summary>
internal static partial class TrackingPages
{
    private const int MaxUserAgentLength = 512;

    // The smallest transparent GIF: 1x1, one transparent color.
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/email/open/{id}", OpenAsync);
        pages.MapMethods("/email/click/{id}", [HttpMethods.Get, HttpMethods.Head], ClickAsync);
        pages.MapGet("/email/view/{id}", ViewAsync);
    }

    private static async Task<IResult> OpenAsync(
        HttpContext http, string id, string? token, FeedbackStore feedback, TrackingLinks links, ProfileStore profiles, EventLog log, TimeProvider time)
    {
        var ct = http.RequestAborted;
        var now = time.GetUtcNow();
        if (await feedback.FindAsync(id, ct) is not { } message
            || !(await links.ForMessageAsync(message.WorkspaceId, message.Id, message.MessageKey, ct)).IsOpen(token, now))
        {
            return InvalidLink();
        }

        var verdict = MachineActivity.Open(Request(http, message, now));
        await RecordAsync(http, message, verdict, EmailEventNames.Opened, $"open:{message.Id}:{EmailEvents.Minute(now)}", OutboxStatus.Opened,
            Machine(verdict), now, feedback, profiles, log, null);
        NoStore(http);
        return TypedResults.File(Pixel, "image/gif");
    }

    private static async Task<IResult> ClickAsync(
        HttpContext http, string id, string? url, string? token, FeedbackStore feedback, TrackingLinks links, ProfileStore profiles, EventLog log,
        TimeProvider time)
    {
        var ct = http.RequestAborted;
        var now = time.GetUtcNow();
        if (string.IsNullOrEmpty(url) || await feedback.FindAsync(id, ct) is not { } message
            || !(await links.ForMessageAsync(message.WorkspaceId, message.Id, message.MessageKey, ct)).IsClick(url, token, now))
        {
            return InvalidLink();
        }

        var others = (await feedback.LinksClickedSinceAsync(message.Id, now.AddSeconds(-1), ct))
            .Count(clicked => !string.Equals(clicked, url, StringComparison.Ordinal));
        var verdict = MachineActivity.Click(Request(http, message, now) with { OtherLinksClickedThisSecond = others });
        var detail = verdict.Machine ? $"{url}{FeedbackStore.MachineSuffix}{verdict.Reason})" : url;
        await RecordAsync(http, message, verdict, EmailEventNames.LinkClicked,
            $"click:{message.Id}:{MessageRef.Of(url)}:{EmailEvents.Minute(now)}", OutboxStatus.Clicked, detail, now, feedback, profiles, log,
            p => p["url"] = url);
        NoStore(http);
        return TypedResults.Redirect(url);
    }

    private static async Task<IResult> ViewAsync(
        HttpContext http, string id, string? token, FeedbackStore feedback, TrackingLinks links, ProfileStore profiles, EventLog log, TimeProvider time)
    {
        var ct = http.RequestAborted;
        var now = time.GetUtcNow();
        if (await feedback.FindAsync(id, ct) is not { } message
            || !(await links.ForMessageAsync(message.WorkspaceId, message.Id, message.MessageKey, ct)).IsView(token, now))
        {
            return InvalidLink();
        }
        if (message.BodyHtml is not { } html)
            return TypedResults.Problem(detail: "this message has no web version", statusCode: StatusCodes.Status404NotFound, title: "Not found");

        // A view-in-browser link is followed like any other, scanners included.
        var verdict = MachineActivity.Click(Request(http, message, now));
        await RecordAsync(http, message, verdict, EmailEventNames.ViewedInBrowser, $"view:{message.Id}:{EmailEvents.Minute(now)}", OutboxStatus.Viewed,
            Machine(verdict), now, feedback, profiles, log, null);

        NoStore(http);
        // The email's own HTML, as sent: no scripts may run in Nudge's origin, whatever a template contains.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; img-src * data:; style-src 'unsafe-inline' *; font-src * data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        // The browser is not the mail client: its pixel would count a second open.
        var page = OpenPixel().Replace(html, m => m.Value.Contains($"/email/open/{Uri.EscapeDataString(message.Id)}?", StringComparison.Ordinal) ? "" : m.Value);
        return TypedResults.Content(page, "text/html; charset=utf-8");
    }

    /// <summary>
    /// Appends the event (its message id de-duplicates repeats) and, when the log took it as new, the history line.
    /// A message whose profile is gone (erased) keeps only its history.
    /// </summary>
    private static async Task RecordAsync(
        HttpContext http, OutboxMessage message, MachineVerdict verdict, string name, string dedupe, string status, string? detail, DateTimeOffset now,
        FeedbackStore feedback, ProfileStore profiles, EventLog log, Action<JsonObject>? more)
    {
        var ct = http.RequestAborted;
        var profile = message.ProfileId is { } profileId ? await PublicProfiles.OpenAsync(profiles, profileId, _ => Task.FromResult(true), ct) : null;
        if (profile is not null)
        {
            var agent = PublicProfiles.UserAgent(http, MaxUserAgentLength);
            var e = EmailEvents.For(message, profile.Id, name, dedupe, now, p =>
            {
                more?.Invoke(p);
                p["machine"] = verdict.Machine;
                if (verdict.Reason is not null)
                    p["machine_reason"] = verdict.Reason;
                if (agent is not null)
                    p["user_agent"] = agent;
            });
            if ((await log.AppendAsync([e], ct))[0].Duplicate)
                return;
        }
        await feedback.RecordAsync([new MessageFeedback(message.Id, message.WorkspaceId, status, now, detail)], ct);
    }

    private static TrackingRequest Request(HttpContext http, OutboxMessage message, DateTimeOffset now) =>
        new(http.Connection.RemoteIpAddress, http.Request.Headers.UserAgent.ToString(), now, message.SentAt, HttpMethods.IsHead(http.Request.Method));

    private static string? Machine(MachineVerdict verdict) => verdict.Machine ? $"machine: {verdict.Reason}" : null;

    private static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store, no-cache, must-revalidate, max-age=0";

    private static ProblemHttpResult InvalidLink() =>
        TypedResults.Problem(detail: "this tracking link is not signed for this message (or was changed)", statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid link", extensions: new Dictionary<string, object?> { ["field"] = "token" });

    [GeneratedRegex("<img\\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OpenPixel();
}
