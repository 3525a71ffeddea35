using System.Collections.Concurrent;
using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Nudge.Channels.Delivery;
using Nudge.Storage.Push;

namespace Nudge.Channels.Push;

/// <summary>
/// Sends one push message to one browser subscription: encrypts it (RFC 8291), signs the request (VAPID, RFC 8292)
/// and posts it to the subscription's push service (RFC 8030). A push service's 201 is <c>Accepted</c>; 404/410
/// mean the browser unsubscribed, so the subscription is removed and the answer is <c>Permanent</c>; 429 and 5xx
/// (and a lost connection or timeout) are <c>Temporary</c>, with the service's <c>Retry-After</c> when it gave one.
/// </summary>
public sealed class WebPushSender(
    HttpClient http, PushSubscriptionStore subscriptions, WorkspaceVapidKeys vapidKeys, IOptions<WebPushOptions> options, TimeProvider time)
{
    private const int MaxDetail = 300;

    // Signing per message would cost an ECDSA signature each; a token is valid for any number of sends to one
    // push service until it expires, so one per (workspace, push service) is reused until half its life is gone.
    private readonly ConcurrentDictionary<(string Workspace, string Audience), (string Header, DateTimeOffset RenewAt)> _tokens = new();

    /// <summary>Sends a notification to one browser.</summary>
    public Task<SendOutcome> SendAsync(PushSubscription subscription, PushMessage message, PushSendOptions? send = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendAsync(subscription, message.ToPayload(), send, ct);
    }

    /// <summary>Sends a raw payload (at most <see cref="WebPushEncryption.MaxPayloadLength"/> bytes) to one browser.</summary>
    public async Task<SendOutcome> SendAsync(PushSubscription subscription, ReadOnlyMemory<byte> payload, PushSendOptions? send = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var settings = options.Value;
        send ??= new PushSendOptions();
        if (payload.Length > WebPushEncryption.MaxPayloadLength)
            return SendOutcome.Permanent($"the payload has {payload.Length} bytes; a push message may have at most {WebPushEncryption.MaxPayloadLength}");

        byte[] body;
        try
        {
            body = WebPushEncryption.Encrypt(payload.Span, Base64Url.DecodeFromChars(subscription.P256dh), Base64Url.DecodeFromChars(subscription.Auth));
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            // Keys are checked when a browser subscribes; a row that still fails can never be sent to.
            await subscriptions.RemoveAsync(subscription.WorkspaceId, subscription.Endpoint, ct);
            return SendOutcome.Permanent($"the subscription's keys are not valid ({ex.Message}); subscription removed");
        }

        var endpoint = new Uri(subscription.Endpoint);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.ContentEncoding.Add("aes128gcm");
        var ttl = (long)Math.Max(0, (send.TimeToLive ?? settings.TimeToLive).TotalSeconds);
        request.Headers.TryAddWithoutValidation("TTL", ttl.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("Urgency", UrgencyText(send.Urgency));
        if (send.Topic is { Length: > 0 } topic)
            request.Headers.TryAddWithoutValidation("Topic", topic);
        request.Headers.TryAddWithoutValidation("Authorization", await AuthorizationAsync(subscription.WorkspaceId, endpoint, settings, ct));

        using var timeout = new CancellationTokenSource(settings.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return SendOutcome.Temporary($"the push service did not answer within {settings.Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return SendOutcome.Temporary($"could not reach the push service: {ex.Message}");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                await subscriptions.RecordSuccessAsync(subscription.Endpoint, time.GetUtcNow(), ct);
                // The push service names the message it queued in Location (RFC 8030 section 5).
                return SendOutcome.Accepted(response.Headers.Location?.ToString(), $"{status} {response.ReasonPhrase}");
            }

            var detail = await DetailAsync(response, ct);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                await subscriptions.RemoveAsync(subscription.WorkspaceId, subscription.Endpoint, ct);
                return SendOutcome.Permanent($"{detail}; the browser unsubscribed, subscription removed");
            }
            if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
                return SendOutcome.Temporary(detail, RetryAfter(response));
            // 400 (bad request), 401/403 (VAPID refused), 413 (too large): sending it again changes nothing.
            return SendOutcome.Permanent(detail);
        }
    }

    private async ValueTask<string> AuthorizationAsync(string workspaceId, Uri endpoint, WebPushOptions settings, CancellationToken ct)
    {
        var audience = Vapid.Audience(endpoint);
        var now = time.GetUtcNow();
        if (_tokens.TryGetValue((workspaceId, audience), out var cached) && cached.RenewAt > now)
            return cached.Header;

        var keys = await vapidKeys.GetAsync(workspaceId, ct);
        var header = Vapid.Authorization(Vapid.Token(keys, audience, settings.Subject, now + settings.TokenLifetime), keys);
        _tokens[(workspaceId, audience)] = (header, now + settings.TokenLifetime / 2);
        return header;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } retryAfter)
            return null;
        if (retryAfter.Delta is { } delta)
            return delta;
        if (retryAfter.Date is { } date)
            return date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero;
        return null;
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        return text.Length == 0 ? status : $"{status}: {text[..Math.Min(text.Length, MaxDetail)]}";
    }

    private static string UrgencyText(PushUrgency urgency) => urgency switch
    {
        PushUrgency.VeryLow => "very-low",
        PushUrgency.Low => "low",
        PushUrgency.High => "high",
        _ => "normal",
    };
}
