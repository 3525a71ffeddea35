using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nudge.Channels.Delivery;

namespace Nudge.Channels.Email.Postmark;

/// <summary>
/// Sends email through Postmark's JSON API (<c>POST /email</c> with the server token in <c>X-Postmark-Server-Token</c>):
/// 200 is accepted with Postmark's MessageID; 422 is a refusal of this message (ErrorCode 406, an inactive
/// recipient, is a hard bounce); 429, 5xx and network failures are temporary. Postmark signs with DKIM itself.
/// </summary>
public sealed class PostmarkProvider(HttpClient http, EmailOptions options) : IEmailProvider
{
    /// <summary>Postmark's ErrorCode for a recipient that hard-bounced or complained before.</summary>
    public const int InactiveRecipient = 406;

    private const int MaxDetail = 300;

    /// <inheritdoc />
    public async Task<SendOutcome> SendAsync(OutgoingEmail email, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(email);
        var from = MimeKit.MailboxAddress.Parse(email.From);
        var headers = new JsonArray { Header("Message-ID", $"<{EmailComposer.MessageId(email.MessageKey, from.Domain)}>") };
        if (email.OneClickUnsubscribe is { } unsubscribe)
        {
            headers.Add(Header("List-Unsubscribe", options.UnsubscribeMailto is { Length: > 0 } mailto
                ? $"<{unsubscribe.AbsoluteUri}>, <mailto:{mailto}?subject=unsubscribe>"
                : $"<{unsubscribe.AbsoluteUri}>"));
            headers.Add(Header("List-Unsubscribe-Post", EmailComposer.OneClick));
        }

        var body = new JsonObject
        {
            ["From"] = email.From,
            ["To"] = email.To,
            ["Subject"] = email.Subject,
            ["HtmlBody"] = email.Html,
            ["TextBody"] = email.Text,
            ["MessageStream"] = options.Postmark.MessageStream,
            ["Headers"] = headers,
        };

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Postmark.BaseUrl, "email"))
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Add("X-Postmark-Server-Token", options.Postmark.ServerToken);
        request.Headers.Accept.ParseAdd("application/json");

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            return SendOutcome.Temporary($"cannot reach Postmark: {ex.Message}");
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            return SendOutcome.Temporary($"Postmark did not answer in time: {ex.Message}");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            var (errorCode, message, messageId) = Read(text);
            var detail = Cut($"{(int)response.StatusCode} {message ?? text}".Trim());
            return response.StatusCode switch
            {
                HttpStatusCode.OK => SendOutcome.Accepted(messageId, detail),
                HttpStatusCode.UnprocessableEntity when errorCode == InactiveRecipient => SendOutcome.Bounced(detail),
                HttpStatusCode.UnprocessableEntity => SendOutcome.Permanent(detail),
                _ => SendOutcome.Temporary(detail, RetryAfter(response)),
            };
        }
    }

    private static JsonObject Header(string name, string value) => new() { ["Name"] = name, ["Value"] = value };

    private static (int? ErrorCode, string? Message, string? MessageId) Read(string text)
    {
        try
        {
            if (JsonNode.Parse(text) is not JsonObject reply)
                return (null, null, null);
            var code = reply["ErrorCode"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : (int?)null;
            return (code, (string?)reply["Message"], (string?)reply["MessageID"]);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return (null, null, null);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta
        ?? (response.Headers.TryGetValues("Retry-After", out var values)
            && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds)
                : null);

    private static string Cut(string text) => text.Length <= MaxDetail ? text : text[..MaxDetail];
}
