using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Nudge.Core.Consent;
using Nudge.Core.Ingestion;
using Nudge.Engine.Consent;
using Nudge.Server.Admin;
using Nudge.Storage.Events;
using Nudge.Storage.Profiles;

namespace Nudge.Server.Consent;

/// <summary>Consent per channel with its audit trail: read, record a change, export the workspace's trail (GDPR).</summary>
public static class ConsentApi
{
    private const int MaxSourceLength = 100;
    private const int MaxWordingLength = 4000;
    private const int MaxUserAgentLength = 512;
    private const int ExportPage = 500;

    public static RouteGroupBuilder MapConsentApi(this RouteGroupBuilder api)
    {
        api.MapGet("/profiles/{id}/consent", GetAsync).WithTags("Consent")
            .WithSummary("A profile's consent per channel (subscribed, unsubscribed, neverSubscribed) and its whole audit trail");
        api.MapPost("/profiles/{id}/consent", ChangeAsync).WithTags("Consent")
            .WithSummary("Record a consent change (a trusted Consent Changed event); the profile shows it within about a second");
        api.MapGet("/consent/export", ExportAsync).WithTags("Consent")
            .WithSummary("The workspace's consent audit trail as CSV (GDPR), optionally only changes since a time")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
        return api;
    }

    private static async Task<Results<Ok<ConsentView>, ProblemHttpResult>> GetAsync(
        HttpContext http, ProfileStore store, string id, CancellationToken ct) =>
        await ProfilesApi.FindAsync(http, store, id, ct) is { } profile ? TypedResults.Ok(ConsentView.Of(profile)) : ProfilesApi.NotFound(id);

    private static async Task<Results<Accepted<ConsentChangeAccepted>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        HttpContext http, ProfileStore store, EventLog log, TimeProvider time, string id, ConsentChangeBody body, CancellationToken ct)
    {
        if (Validate(body) is { } invalid)
            return invalid;
        if (await ProfilesApi.FindAsync(http, store, id, ct) is not { } profile)
            return ProfilesApi.NotFound(id);

        var source = string.IsNullOrWhiteSpace(body.Source) ? ConsentSources.Admin : body.Source.Trim();
        var subscribed = body.Status == ConsentChangedEvent.Subscribed;
        var change = new ConsentChangeRequest(body.Channel!, subscribed, source, body.Wording, NullIfBlank(body.Ip), NullIfBlank(body.UserAgent));
        var e = ConsentEvents.ConsentChanged(profile.WorkspaceId, profile.Id, change, time.GetUtcNow());
        await log.AppendAsync([e], ct);
        return TypedResults.Accepted(
            $"/api/profiles/{Uri.EscapeDataString(profile.Id)}/consent",
            new ConsentChangeAccepted(profile.Id, e.Message.MessageId, change.Channel, body.Status!, source));
    }

    private static async Task<IResult> ExportAsync(HttpContext http, ConsentTrails trails, string? since, CancellationToken ct)
    {
        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (!MessageParser.TryParseTime(since, out var parsed))
            {
                return TypedResults.Problem(detail: "since must be an ISO-8601 date-time, e.g. 2026-01-01T00:00:00Z", statusCode: 400,
                    title: "Invalid query", extensions: new Dictionary<string, object?> { ["field"] = "since" });
            }
            from = parsed;
        }

        var workspace = AdminAuth.WorkspaceOf(http);
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"consent-trail.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false));
        await writer.WriteLineAsync("profile_id,email,channel,status,source,at,ip,wording,applied,user_agent,phone,message_id");
        string? after = null;
        do
        {
            var page = await trails.PageAsync(workspace, after, ExportPage, ct);
            foreach (var profile in page.Profiles)
            {
                foreach (var change in profile.ConsentHistory.Where(c => from is null || c.At >= from).OrderBy(c => c.At))
                {
                    await writer.WriteLineAsync(string.Join(',',
                        CsvText.Field(profile.Id), CsvText.Field(profile.Email), CsvText.Field(change.Channel), change.Status,
                        CsvText.Field(change.Source), change.At.ToString("O", CultureInfo.InvariantCulture), CsvText.Field(change.Ip),
                        CsvText.Field(change.Wording), change.Applied ? "true" : "false", CsvText.Field(change.UserAgent),
                        CsvText.Field(profile.Phone), CsvText.Field(change.MessageId)));
                }
            }
            after = page.Next;
        }
        while (after is not null);
        return TypedResults.Empty;
    }

    private static ValidationProblem? Validate(ConsentChangeBody body)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ConsentChannels.IsKnown(body.Channel))
            errors["channel"] = ["is required: email, sms or push"];
        if (body.Status is not (ConsentChangedEvent.Subscribed or ConsentChangedEvent.Unsubscribed))
            errors["status"] = ["is required: subscribed or unsubscribed"];
        if (body.Source is { Length: > MaxSourceLength })
            errors["source"] = [$"must be at most {MaxSourceLength} characters"];
        if (body.Wording is { Length: > MaxWordingLength })
            errors["wording"] = [$"must be at most {MaxWordingLength} characters"];
        if (!string.IsNullOrWhiteSpace(body.Ip) && !System.Net.IPAddress.TryParse(body.Ip.Trim(), out _))
            errors["ip"] = ["must be an IPv4 or IPv6 address"];
        if (body.UserAgent is { Length: > MaxUserAgentLength })
            errors["userAgent"] = [$"must be at most {MaxUserAgentLength} characters"];

        return errors.Count == 0
            ? null
            : TypedResults.ValidationProblem(errors, detail: "Nothing was recorded. Fix the fields listed in errors.", title: "Invalid consent change");
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
