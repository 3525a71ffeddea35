using System.ComponentModel.DataAnnotations;

namespace Nudge.Server.Lists;

/// <summary>Settings under <c>Nudge:Lists</c>, plus <c>Nudge:PublicUrl</c>.</summary>
public sealed class ListOptions : IValidatableObject
{
    /// <summary>How long a double opt-in confirmation link works.</summary>
    [Range(1, 720)]
    public int ConfirmationHours { get; set; } = 48;

    /// <summary>How many signups and confirmation clicks one client address may make per minute.</summary>
    [Range(1, 100_000)]
    public int SignupsPerMinutePerClient { get; set; } = 10;

    /// <summary>
    /// Where people reach this Nudge (<c>https://news.shop.example</c>), for the links in confirmation emails and the
    /// form snippet. Read from <c>Nudge:PublicUrl</c>; unset, the address the request came in on is used.
    /// </summary>
    public string? PublicUrl { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PublicUrl is { Length: > 0 } url
            && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            yield return new ValidationResult($"Nudge:PublicUrl must be an absolute http(s) URL, not '{url}'.", [nameof(PublicUrl)]);
        }
    }

    /// <summary>The base of public links: the setting, else the scheme and host the request came in on.</summary>
    public string PublicBase(HttpRequest request) =>
        (PublicUrl is { Length: > 0 } url ? url : $"{request.Scheme}://{request.Host}{request.PathBase}").TrimEnd('/');
}
