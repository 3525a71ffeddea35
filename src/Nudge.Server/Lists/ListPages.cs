using System.Text.Encodings.Web;

namespace Nudge.Server.Lists;

/// <summary>The small pages people see after posting the signup form or clicking a confirmation link.</summary>
internal static class ListPages
{
    public static IResult Subscribed(HttpContext http, string listName) =>
        Page(http, 200, "You are subscribed", $"Thank you: you are on \"{listName}\" now.");

    public static IResult CheckInbox(HttpContext http, string listName) =>
        Page(http, 200, "Please check your inbox",
            $"Almost done: we have sent you an email. Click the link in it to confirm your address and join \"{listName}\".");

    public static IResult Confirmed(HttpContext http, string listName) =>
        Page(http, 200, "Your address is confirmed", $"Thank you: you are on \"{listName}\" now.");

    public static IResult AlreadyConfirmed(HttpContext http) =>
        Page(http, 200, "Your address is confirmed", "You had already confirmed this signup; nothing else to do.");

    public static IResult InvalidLink(HttpContext http) =>
        Page(http, 400, "This link does not work", "Please check that you opened the whole link from the email.");

    public static IResult ExpiredLink(HttpContext http) =>
        Page(http, 410, "This link has expired", "Nobody confirmed this signup in time. Please sign up again to get a new link.");

    public static IResult ListGone(HttpContext http) =>
        Page(http, 410, "This list no longer exists", "The list you signed up for has been closed; nothing was saved.");

    private static IResult Page(HttpContext http, int status, string title, string message)
    {
        // The confirmation link carries its token in the URL: this page loads nothing and sends no referrer.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        var html = HtmlEncoder.Default;
        return TypedResults.Content(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">" +
            $"<title>{html.Encode(title)}</title>" +
            "<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style></head>\n" +
            $"<body><h1>{html.Encode(title)}</h1><p>{html.Encode(message)}</p></body></html>\n",
            "text/html; charset=utf-8",
            statusCode: status);
    }
}
