using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;

namespace Nudge.Server.Consent;

/// <summary>
/// The frame of Nudge's public pages (preference center, unsubscribe): one self-contained, accessible HTML document
/// with no external assets, sent with headers that keep its signed URL out of referrers, caches and frames.
/// </summary>
internal static class PublicPage
{
    private const string Style =
        "body{margin:0;background:#f6f6f4;color:#1d1d1b;font:1rem/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}" +
        "main{max-width:34rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}" +
        "h1{font-size:1.5rem;margin-top:0}fieldset{border:1px solid #c8c8c4;border-radius:.375rem;margin:0 0 1rem;padding:.75rem 1rem}" +
        "legend{font-weight:600;padding:0 .25rem}label{display:flex;gap:.5rem;align-items:flex-start;padding:.25rem 0}" +
        "input[type=checkbox]{width:1.25rem;height:1.25rem;margin-top:.125rem;flex:none}" +
        ".status{display:block;color:#4a4a46;font-size:.875rem;margin:0 0 .25rem 1.75rem}" +
        ".note{background:#e3f2e1;border-left:4px solid #2e7d32;padding:.5rem .75rem}" +
        ".actions{display:flex;flex-wrap:wrap;gap:.75rem}" +
        "button{font:inherit;padding:.5rem 1rem;border-radius:.375rem;border:2px solid #1d4ed8;background:#1d4ed8;color:#fff;cursor:pointer}" +
        "button.secondary{background:#fff;color:#1d4ed8}button:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}" +
        "a{color:#1d4ed8}";

    // The only style the page may use: its own inline block, allowed by hash rather than 'unsafe-inline'.
    private static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Encodes text for HTML content and attribute values.</summary>
    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A page with <paramref name="title"/> and an already encoded <paramref name="body"/>.</summary>
    public static IResult Render(HttpContext http, string title, string body, int statusCode = StatusCodes.Status200OK)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["X-Frame-Options"] = "DENY";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex, nofollow">
            <title>{Encode(title)}</title>
            <style>{Style}</style>
            </head>
            <body>
            <main>
            {body}
            </main>
            </body>
            </html>

            """;
        return TypedResults.Text(html, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    /// <summary>The answer to a link that is tampered with, incomplete or for someone unknown: nothing was changed.</summary>
    public static IResult InvalidLink(HttpContext http) => Render(http, "This link is not valid",
        """
        <h1>This link is not valid</h1>
        <p>It may be incomplete or changed. Nothing was changed. Please use the link in the most recent message you received from us.</p>
        """,
        StatusCodes.Status400BadRequest);

    /// <summary>What a channel's messages are called on the pages.</summary>
    public static string Messages(string channel) => channel switch
    {
        "email" => "emails",
        "sms" => "text messages (SMS)",
        "push" => "push notifications",
        _ => channel + " messages",
    };
}
