using System.Text;
using Nudge.Core.Consent;

namespace Nudge.Server.Consent;

/// <summary>What the preference center shows: each channel with its state, and the workspace's topics.</summary>
/// <param name="Shop">The workspace's name.</param>
/// <param name="FormAction">Where the form posts (the page's own signed address, relative).</param>
/// <param name="Channels">The channels offered and whether the person is subscribed.</param>
/// <param name="Statuses">Each channel's state, as shown next to it.</param>
/// <param name="Topics">The topics offered and whether the person chose them.</param>
/// <param name="Saved">True right after a save.</param>
internal sealed record PreferencePage(
    string Shop,
    string FormAction,
    IReadOnlyList<(string Channel, bool Subscribed)> Channels,
    IReadOnlyDictionary<string, string> Statuses,
    IReadOnlyList<(string Topic, bool Chosen)> Topics,
    bool Saved)
{
    /// <summary>The channels the page offers; push subscriptions are given in the browser, not here.</summary>
    public static readonly IReadOnlyList<string> OfferedChannels = [ConsentChannels.Email, ConsentChannels.Sms];

    public const string Title = "Your preferences";

    public const string UnsubscribeEverything = "Unsubscribe from everything";

    /// <summary>The label of a channel's checkbox: the exact words recorded as the consent's wording.</summary>
    public static string ChannelLabel(string shop, string channel) => $"Yes, {shop} may send me {PublicPage.Messages(channel)}.";

    /// <summary>The words recorded when the person unsubscribes from everything.</summary>
    public static string UnsubscribeEverythingWording(string shop) => $"{UnsubscribeEverything}: {shop} sends me no more messages.";

    public string Html()
    {
        var html = new StringBuilder();
        html.Append("<h1>").Append(Title).Append("</h1>\n");
        html.Append("<p>Choose how ").Append(PublicPage.Encode(Shop)).Append(" may contact you and what about.</p>\n");
        if (Saved)
            html.Append("<p class=\"note\" role=\"status\">Your preferences are saved.</p>\n");
        html.Append("<form method=\"post\" action=\"").Append(PublicPage.Encode(FormAction)).Append("\">\n");
        html.Append("<fieldset>\n<legend>How may we contact you?</legend>\n");
        foreach (var (channel, subscribed) in Channels)
        {
            var id = "channel-" + channel;
            html.Append("<label for=\"").Append(id).Append("\"><input type=\"checkbox\" id=\"").Append(id)
                .Append("\" name=\"channel\" value=\"").Append(PublicPage.Encode(channel)).Append('"')
                .Append(subscribed ? " checked" : "").Append(" aria-describedby=\"").Append(id).Append("-status\"> ")
                .Append(PublicPage.Encode(ChannelLabel(Shop, channel))).Append("</label>\n");
            html.Append("<span class=\"status\" id=\"").Append(id).Append("-status\">Currently: ")
                .Append(PublicPage.Encode(Statuses[channel])).Append("</span>\n");
        }
        html.Append("</fieldset>\n");

        if (Topics.Count > 0)
        {
            html.Append("<fieldset>\n<legend>What would you like to hear about?</legend>\n");
            for (var i = 0; i < Topics.Count; i++)
            {
                var (topic, chosen) = Topics[i];
                var id = "topic-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                html.Append("<label for=\"").Append(id).Append("\"><input type=\"checkbox\" id=\"").Append(id)
                    .Append("\" name=\"topic\" value=\"").Append(PublicPage.Encode(topic)).Append('"')
                    .Append(chosen ? " checked" : "").Append("> ").Append(PublicPage.Encode(topic)).Append("</label>\n");
            }
            html.Append("</fieldset>\n");
        }

        html.Append("<div class=\"actions\">\n")
            .Append("<button type=\"submit\" name=\"action\" value=\"save\">Save preferences</button>\n")
            .Append("<button type=\"submit\" name=\"action\" value=\"unsubscribe-all\" class=\"secondary\">").Append(UnsubscribeEverything).Append("</button>\n")
            .Append("</div>\n</form>");
        return html.ToString();
    }
}
