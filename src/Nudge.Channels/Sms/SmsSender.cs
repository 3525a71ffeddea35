using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Nudge.Channels.Delivery;
using Nudge.Core.Identity;
using PhoneNumbers;

namespace Nudge.Channels.Sms;

/// <summary>
/// Sends one SMS through a provider with the Twilio Messages API form: a form-encoded POST of To, From and Body
/// to <c>/2010-04-01/Accounts/{sid}/Messages.json</c> with Basic auth. 201 is <c>Accepted</c> with the provider's
/// message sid; 429/5xx (and timeouts) are <c>Temporary</c>; other 4xx are <c>Permanent</c> with the provider's error
/// code (an invalid or unreachable number, a number that replied STOP, ...).
/// </summary>
public sealed class SmsSender(HttpClient http, IOptions<SmsOptions> options, TimeProvider time)
{
    private const int MaxDetail = 300;
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>Sends <paramref name="body"/> to <paramref name="to"/> (E.164, e.g. +4915112345678).</summary>
    public async Task<SendOutcome> SendAsync(string to, string body, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var settings = options.Value;
        if (!settings.IsConfigured)
            return SendOutcome.Temporary("SMS is not set up: Nudge:Sms needs AccountSid, AuthToken and From (or Senders)");
        if (ContactNormalizer.Phone(to, null) is not { } number || number != to?.Trim())
            return SendOutcome.Permanent($"'{to}' is not a valid phone number in E.164 form (+ and country code)");
        if (body.Length == 0)
            return SendOutcome.Permanent("the message is empty");
        if (settings.SenderFor(Phones.GetRegionCodeForNumber(Phones.Parse(number, null))) is not { } from)
            return SendOutcome.Permanent($"no sender is set for {number}'s country and Nudge:Sms:From is empty");

        var url = new Uri(settings.BaseUrl, $"/2010-04-01/Accounts/{Uri.EscapeDataString(settings.AccountSid!)}/Messages.json");
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent([new("To", number), new("From", from), new("Body", body)]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.AccountSid}:{settings.AuthToken}")));

        using var timeout = new CancellationTokenSource(settings.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return SendOutcome.Temporary($"the SMS provider did not answer within {settings.Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return SendOutcome.Temporary($"could not reach the SMS provider: {ex.Message}");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            var status = (int)response.StatusCode;
            var (sid, code, message) = Read(text);
            if (response.IsSuccessStatusCode)
                return SendOutcome.Accepted(sid, $"{status} {response.ReasonPhrase}; {SmsSegments.Of(body).Segments} segment(s)");

            var detail = string.Create(CultureInfo.InvariantCulture,
                $"{status} {response.ReasonPhrase}{(code is null ? "" : $"; error {code}")}{(message is null ? "" : $": {message}")}");
            if (message is null && text.Length > 0)
                detail += ": " + text[..Math.Min(text.Length, MaxDetail)];
            if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
                return SendOutcome.Temporary(detail, RetryAfter(response));
            return SendOutcome.Permanent(detail);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>The message sid of an accepted message, or the error code and message of a refused one.</summary>
    private static (string? Sid, string? Code, string? Message) Read(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, null, null);
            return (Text(root, "sid"), Text(root, "code"), Text(root, "message") is { } m ? m[..Math.Min(m.Length, MaxDetail)] : null);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    private static string? Text(JsonElement obj, string name) => obj.TryGetProperty(name, out var value)
        ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        }
        : null;
}
