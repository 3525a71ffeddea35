using System.Text;
using System.Text.Encodings.Web;
using Nudge.Storage.Lists;

namespace Nudge.Server.Lists;

/// <summary>The HTML form a shop owner pastes into a page to let people sign up to a list.</summary>
public static class SignupForm
{
    /// <summary>The consent text a form shows (and posts back as evidence) unless the shop owner changes both.</summary>
    public static string DefaultConsentText(ListRecord list) => list.DoubleOptIn
        ? $"Yes, send me \"{list.Name}\" by email. I will get an email to confirm my address first, and I can unsubscribe at any time."
        : $"Yes, send me \"{list.Name}\" by email. I can unsubscribe at any time.";

    /// <summary>
    /// A plain form posting to the list's signup endpoint: email, first and last name, the consent text shown (sent
    /// along as evidence), an optional redirect, and the hidden honeypot field <c>website</c> that people leave empty.
    /// </summary>
    public static string Snippet(ListRecord list, string publicBase, string? redirect)
    {
        var html = HtmlEncoder.Default;
        var consent = html.Encode(DefaultConsentText(list));
        var text = new StringBuilder();
        text.Append($"<!-- Nudge signup form for the list \"{html.Encode(list.Name)}\" ({list.Id}). If you change the consent text, change both copies. -->\n");
        text.Append($"<form method=\"post\" action=\"{html.Encode($"{publicBase}/lists/{list.Id}/signup")}\" accept-charset=\"utf-8\">\n");
        text.Append("  <label for=\"nudge-email\">Email</label>\n");
        text.Append("  <input id=\"nudge-email\" type=\"email\" name=\"email\" required autocomplete=\"email\">\n");
        text.Append("  <label for=\"nudge-first-name\">First name</label>\n");
        text.Append("  <input id=\"nudge-first-name\" type=\"text\" name=\"first_name\" autocomplete=\"given-name\">\n");
        text.Append("  <label for=\"nudge-last-name\">Last name</label>\n");
        text.Append("  <input id=\"nudge-last-name\" type=\"text\" name=\"last_name\" autocomplete=\"family-name\">\n");
        text.Append("  <!-- Hidden from people, filled in by bots: a signup with this field filled in is dropped. -->\n");
        text.Append("  <div style=\"position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden\" aria-hidden=\"true\">\n");
        text.Append("    <label for=\"nudge-website\">Website</label>\n");
        text.Append("    <input id=\"nudge-website\" type=\"text\" name=\"website\" value=\"\" tabindex=\"-1\" autocomplete=\"off\">\n");
        text.Append("  </div>\n");
        text.Append($"  <p>{consent}</p>\n");
        text.Append($"  <input type=\"hidden\" name=\"consent_text\" value=\"{consent}\">\n");
        if (redirect is not null)
            text.Append($"  <input type=\"hidden\" name=\"redirect\" value=\"{html.Encode(redirect)}\">\n");
        text.Append("  <button type=\"submit\">Subscribe</button>\n");
        text.Append("</form>\n");
        return text.ToString();
    }
}
