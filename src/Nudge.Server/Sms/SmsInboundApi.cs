using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Nudge.Channels.Sms;
using Nudge.Core.Consent;
using Nudge.Core.Identity;
using Nudge.Engine.Consent;
using Nudge.Server.Hosting;
using Nudge.Server.Lists;
using Nudge.Storage.Events;
using Nudge.Storage.Keys;

namespace Nudge.Server.Sms;

/// <summary>
/// The webhook an SMS provider posts inbound messages to (Twilio's "A message comes in"). STOP and its synonyms
/// unsubscribe the sending number from SMS, START and its synonyms subscribe it again: a <c>Consent Changed</c> event
/// for the person with that phone number (identity resolution finds them, or creates a profile that remembers the
/// choice), written with a server key as the lists feature writes consent. The request must carry the provider's
/// HMAC-SHA1 signature made with the account's auth token.
/// </summary>
internal static class SmsInboundApi
{
    /// <summary>Where keyword changes appear in the consent audit trail.</summary>
    public const string ConsentSource = "sms keyword";

    private const int MaxWording = 1600;
    private const string EmptyReply = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/sms/inbound/{workspaceId}", InboundAsync).WithTags("SMS")
            .WithName("SmsInbound")
            .WithSummary("Inbound SMS from the provider (form-encoded, X-Twilio-Signature): STOP/START keywords change the number's SMS consent")
            .Accepts<SmsInboundForm>("application/x-www-form-urlencoded")
            .Produces<string>(StatusCodes.Status200OK, "text/xml")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> InboundAsync(
        HttpContext http, string workspaceId, IOptions<SmsOptions> sms, IOptions<PublicLinkOptions> links, IOptions<NudgeOptions> nudge,
        KeyStore keys, EventLog log, TimeProvider time)
    {
        var ct = http.RequestAborted;
        if (sms.Value.AuthToken is not { Length: > 0 } authToken)
        {
            return TypedResults.Problem(detail: "SMS is not set up: Nudge:Sms:AuthToken is needed to check the provider's signature",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "SMS not configured");
        }
        if (await keys.FindWorkspaceAsync(workspaceId, ct) is not { } workspace)
        {
            return TypedResults.Problem(detail: $"no workspace '{workspaceId}'", statusCode: StatusCodes.Status404NotFound, title: "Not found",
                extensions: new Dictionary<string, object?> { ["field"] = "workspaceId" });
        }
        if (!http.Request.HasFormContentType)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["must be form-encoded, as the provider posts it"] });

        var form = await http.Request.ReadFormAsync(ct);
        var fields = form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))).ToList();
        var signature = http.Request.Headers[TwilioSignature.Header].ToString();
        if (!CalledUrls(http.Request, links.Value).Any(url => TwilioSignature.IsValid(authToken, url, fields, signature)))
        {
            return TypedResults.Problem(detail: $"the {TwilioSignature.Header} header does not match this request and the account's auth token",
                statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }

        var region = workspace.DefaultRegion ?? nudge.Value.DefaultRegion;
        var body = form["Body"].ToString();
        var keyword = SmsKeywords.Read(body);
        if (ContactNormalizer.Phone(form["From"].ToString(), region) is not { } phone)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["From"] = ["must be the sender's phone number"] });
        if (keyword == SmsKeyword.None)
            return Reply();

        var subscribed = keyword == SmsKeyword.OptIn;
        var evidence = new JsonObject
        {
            ["channel"] = ConsentChannels.Sms,
            ["status"] = subscribed ? ConsentChangedEvent.Subscribed : ConsentChangedEvent.Unsubscribed,
            ["source"] = ConsentSource,
            ["wording"] = body.Length <= MaxWording ? body : body[..MaxWording],
            ["keyword"] = body.Trim().ToUpperInvariant(),
            ["to"] = form["To"].ToString(),
        };
        // The provider's message id names the event, so a retried webhook is the same message and the log drops it.
        var messageId = form["MessageSid"].ToString() is { Length: > 0 } sid ? "nudge-sms-" + sid : "nudge-sms-" + Guid.CreateVersion7().ToString("N");
        await log.AppendAsync([ListMessages.ConsentChanged(workspaceId, new ListSubject(null, null, null, phone), messageId, time.GetUtcNow(), evidence, region, null)], ct);
        return Reply();
    }

    /// <summary>The URLs the provider may have signed: the address as configured (behind a proxy), and as the request arrived.</summary>
    private static IEnumerable<string> CalledUrls(HttpRequest request, PublicLinkOptions links)
    {
        var asArrived = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}";
        yield return asArrived;
        if (Uri.TryCreate(links.PublicUrl, UriKind.Absolute, out var publicUrl))
            yield return publicUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + request.Path + request.QueryString;
    }

    // An empty TwiML answer: the provider sends its own STOP/START confirmations; Nudge replies nothing.
    private static IResult Reply() => TypedResults.Text(EmptyReply, "text/xml; charset=utf-8");
}

/// <summary>The fields of an inbound message Nudge reads (the provider sends more).</summary>
/// <param name="From">The sender's number (E.164).</param>
/// <param name="To">The shop's number the message was sent to.</param>
/// <param name="Body">The text.</param>
/// <param name="MessageSid">The provider's message id.</param>
public sealed record SmsInboundForm(string From, string To, string Body, string MessageSid);
