using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MimeKit;
using Nudge.Channels.Email.Feedback;
using Nudge.Channels.Email.Postmark;
using Nudge.Storage.Keys;

namespace Nudge.Server.Tracking;

/// <summary>
/// Where bounces and complaints come in: <c>POST /email/feedback/{workspaceId}?token=</c> takes a raw message
/// (a bounce or ARF report, as a mailbox forwarder or a Postfix pipe posts it), <c>POST /email/feedback/{workspaceId}/postmark?token=</c>
/// Postmark's bounce, spam complaint and delivery webhooks. The token in the address (from <c>GET /api/tracking/feedback-urls</c>)
/// authenticates the sender.
/// </summary>
internal static class FeedbackApi
{
    public static void Map(RouteGroupBuilder group)
    {
        var feedback = group.MapGroup("/email/feedback").WithTags("Email feedback");
        feedback.MapPost("/{workspaceId}", MimeAsync).WithName("EmailFeedbackMime")
            .WithSummary("A bounce (RFC 3464 DSN) or complaint (RFC 5965 ARF) as raw MIME; suppresses addresses and records the message's history")
            .Accepts<string>("message/rfc822", "text/plain", "application/octet-stream")
            .Produces<FeedbackResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        feedback.MapPost("/{workspaceId}/postmark", PostmarkAsync).WithName("EmailFeedbackPostmark")
            .WithSummary("Postmark's Bounce, SpamComplaint and Delivery webhooks")
            .Accepts<JsonElement>("application/json")
            .Produces<FeedbackResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> MimeAsync(
        HttpContext http, string workspaceId, string? token, KeyStore keys, TrackingLinks links, EmailFeedback feedback,
        IOptions<TrackingOptions> options, TimeProvider time)
    {
        var ct = http.RequestAborted;
        if (await RefuseAsync(workspaceId, token, keys, links, time, ct) is { } refused)
            return refused;

        using var body = new MemoryStream();
        var limit = options.Value.MaxFeedbackBytes;
        var buffer = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer, ct)) > 0)
        {
            if (body.Length + read > limit)
            {
                return TypedResults.Problem(detail: $"a bounce may have at most {limit} bytes", statusCode: StatusCodes.Status413PayloadTooLarge,
                    title: "Too large", extensions: new Dictionary<string, object?> { ["field"] = "body" });
            }
            body.Write(buffer, 0, read);
        }
        if (body.Length == 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["must be the raw bounce or complaint message (MIME)"] });

        body.Position = 0;
        MimeMessage message;
        try
        {
            message = await MimeMessage.LoadAsync(body, ct);
        }
        catch (FormatException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"is not a MIME message: {ex.Message}"] });
        }
        var reports = FeedbackReports.Parse(message);
        return TypedResults.Ok(new FeedbackResult(await feedback.HandleAsync(workspaceId, reports, ct)));
    }

    private static async Task<IResult> PostmarkAsync(
        HttpContext http, string workspaceId, string? token, KeyStore keys, TrackingLinks links, EmailFeedback feedback, TimeProvider time)
    {
        var ct = http.RequestAborted;
        if (await RefuseAsync(workspaceId, token, keys, links, time, ct) is { } refused)
            return refused;
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, cancellationToken: ct);
        }
        catch (JsonException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"is not JSON: {ex.Message}"] });
        }
        // Postmark retries what is not answered 200; a record that is not feedback is acknowledged and left alone.
        var report = PostmarkFeedback.Read(body);
        return TypedResults.Ok(new FeedbackResult(report is null ? [] : await feedback.HandleAsync(workspaceId, [report], ct)));
    }

    private static async Task<ProblemHttpResult?> RefuseAsync(
        string workspaceId, string? token, KeyStore keys, TrackingLinks links, TimeProvider time, CancellationToken ct)
    {
        if (await keys.FindWorkspaceAsync(workspaceId, ct) is null)
        {
            return TypedResults.Problem(detail: $"no workspace '{workspaceId}'", statusCode: StatusCodes.Status404NotFound, title: "Not found",
                extensions: new Dictionary<string, object?> { ["field"] = "workspaceId" });
        }
        if (!await links.IsFeedbackTokenAsync(workspaceId, token, time.GetUtcNow(), ct))
        {
            return TypedResults.Problem(detail: "the token does not allow posting feedback for this workspace (see GET /api/tracking/feedback-urls)",
                statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", extensions: new Dictionary<string, object?> { ["field"] = "token" });
        }
        return null;
    }
}

/// <summary>What became of the reports in a posted bounce, complaint or webhook.</summary>
/// <param name="Reports">One per recipient reported on; empty when the message held no report.</param>
public sealed record FeedbackResult(IReadOnlyList<FeedbackOutcome> Reports);
