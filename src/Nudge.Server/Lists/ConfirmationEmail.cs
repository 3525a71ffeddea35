using System.Globalization;
using System.Text.Encodings.Web;
using Nudge.Storage.Lists;
using Nudge.Storage.Outbox;

namespace Nudge.Server.Lists;

/// <summary>The double opt-in email: a subject, an HTML and a text part, each with the signed confirmation link.</summary>
internal static class ConfirmationEmail
{
    public static OutboxMessage For(ListRecord list, ListSignup signup, string link)
    {
        var html = HtmlEncoder.Default;
        var greeting = signup.FirstName is { Length: > 0 } name ? $"Hello {name}," : "Hello,";
        var until = signup.ExpiresAt.UtcDateTime.ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var subject = $"Please confirm your subscription to {list.Name}";
        var text =
            $"{greeting}\n\n" +
            $"please confirm that you want to receive \"{list.Name}\" at {signup.Email} by opening this link:\n\n" +
            $"{link}\n\n" +
            $"The link works until {until}. If you did not sign up, ignore this email: without your click, nothing happens.\n";
        var body =
            "<!doctype html>\n<html><body style=\"font-family:system-ui,sans-serif;line-height:1.5\">\n" +
            $"<p>{html.Encode(greeting)}</p>\n" +
            $"<p>please confirm that you want to receive &quot;{html.Encode(list.Name)}&quot; at {html.Encode(signup.Email)}.</p>\n" +
            $"<p><a href=\"{html.Encode(link)}\">Yes, subscribe me</a></p>\n" +
            $"<p>The link works until {html.Encode(until)}. If you did not sign up, ignore this email: without your click, nothing happens.</p>\n" +
            "</body></html>\n";
        return OutboxMessage.Email(signup.WorkspaceId, null, ListSignupStore.ConfirmationKey(signup.Id), signup.Email, subject, body, text, signup.RequestedAt);
    }
}
