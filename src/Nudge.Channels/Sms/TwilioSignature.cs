using System.Security.Cryptography;
using System.Text;

namespace Nudge.Channels.Sms;

/// <summary>
/// The signature a Twilio-style provider puts on the requests it sends us (<c>X-Twilio-Signature</c>):
/// base64 HMAC-SHA1, keyed with the account's auth token, over the full URL the provider called followed by every
/// POST parameter's name and value, the names sorted (ordinal), a repeated name's distinct values in order.
/// </summary>
public static class TwilioSignature
{
    /// <summary>The header the signature comes in.</summary>
    public const string Header = "X-Twilio-Signature";

    /// <summary>The signature of a request to <paramref name="url"/> with <paramref name="form"/>.</summary>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        ArgumentNullException.ThrowIfNull(authToken);
        ArgumentNullException.ThrowIfNull(form);
        var data = new StringBuilder(url);
        // A repeated parameter's values are signed once each, in order (as Twilio's own validators do).
        foreach (var (name, value) in form.Distinct().OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
            data.Append(name).Append(value);
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    /// <summary>True when <paramref name="signature"/> is the signature of this request (compared in constant time).</summary>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form, string? signature)
    {
        if (string.IsNullOrEmpty(signature))
            return false;
        var expected = Encoding.ASCII.GetBytes(Compute(authToken, url, form));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }
}
