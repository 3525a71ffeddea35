using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Nudge.Channels.Delivery;

namespace Nudge.Channels.Webhooks;

/// <summary>One webhook call: where to, the secret that signs it, and the JSON to send.</summary>
/// <param name="Url">The receiver (http or https).</param>
/// <param name="Secret">The signing secret shared with the receiver (<c>whsec_...</c> or any text).</param>
/// <param name="MessageId">A stable id for the message (the delivery key): retries carry the same id so the receiver can drop duplicates.</param>
/// <param name="Body">The JSON body.</param>
public sealed record WebhookRequest(Uri Url, string Secret, string MessageId, JsonElement Body);

/// <summary>Settings of webhook sends (<c>Nudge:Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>How long a receiver may take to answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Posts signed JSON to a shop's endpoint (see <see cref="WebhookSignature"/>): 2xx is <c>Accepted</c>; 408, 429, 5xx,
/// timeouts and connection failures are <c>Temporary</c> (the delivery worker retries with backoff); other 4xx are
/// <c>Permanent</c> (the receiver refuses this message as it is). Redirects are not followed: a signed message goes
/// only where it was addressed.
/// </summary>
public sealed class WebhookSender(HttpClient http, IOptions<WebhookOptions> options, TimeProvider time)
{
    private const int MaxDetail = 300;

    public async Task<SendOutcome> SendAsync(WebhookRequest webhook, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        if (!webhook.Url.IsAbsoluteUri || (webhook.Url.Scheme != Uri.UriSchemeHttps && webhook.Url.Scheme != Uri.UriSchemeHttp))
            return SendOutcome.Permanent($"'{webhook.Url}' is not an absolute http(s) URL");

        var body = JsonSerializer.SerializeToUtf8Bytes(webhook.Body);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var key = WebhookSignature.Key(webhook.Secret);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(WebhookSignature.IdHeader, webhook.MessageId);
        request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Standard(key, webhook.MessageId, timestamp, body));
        request.Headers.TryAddWithoutValidation(WebhookSignature.NudgeSignatureHeader, WebhookSignature.Nudge(key, timestamp, body));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Nudge-Webhooks", "1.0"));

        var timeout = options.Value.Timeout;
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return SendOutcome.Temporary($"the receiver did not answer within {timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return SendOutcome.Temporary($"could not reach the receiver: {ex.Message}");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var detail = $"{status} {response.ReasonPhrase}";
            if (response.IsSuccessStatusCode)
                return SendOutcome.Accepted(webhook.MessageId, detail);
            var text = await ReadExcerptAsync(response, linked.Token);
            if (text.Length > 0)
                detail += ": " + text;
            if (response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || status >= 500)
                return SendOutcome.Temporary(detail, RetryAfter(response));
            // 3xx (not followed) and other 4xx: the receiver will not take this message as it is.
            return SendOutcome.Permanent(detail);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero,
        _ => null,
    };

    private static async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            return text.Length <= MaxDetail ? text : text[..MaxDetail];
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return "";
        }
    }
}
