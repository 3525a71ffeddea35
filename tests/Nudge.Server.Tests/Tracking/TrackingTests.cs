using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using MimeKit;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Tracking;

/// <summary>
/// A flow's marketing email, tracked end to end: the links in the received mail redirect through Nudge, the pixel and
/// the view-in-browser page record events on the profile and lines in the message's history, and bounces and
/// complaints posted to the feedback address suppress the recipient.
/// </summary>
public sealed partial class TrackingTests(NudgeWithTracking nudge) : IClassFixture<NudgeWithTracking>
{
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private const string AppleProxy = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)";
    private const string Target = "https://shop.example/cart?item=shoes&size=42";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_signed_click_redirects_to_the_link_of_the_email()
    {
        var sent = await SendAsync();
        using var client = Browser();

        using var response = await client.GetAsync(sent.Click, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Target, response.Headers.Location!.OriginalString);
        Assert.Contains("href=\"https://shop.example/unsubscribe-info\"", sent.Mail.HtmlBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("url")]
    [InlineData("token")]
    [InlineData("id")]
    public async Task A_tampered_or_unsigned_click_link_gets_400_and_no_redirect(string changed)
    {
        var sent = await SendAsync();
        var link = changed switch
        {
            "url" => sent.Click.Replace(Uri.EscapeDataString(Target), Uri.EscapeDataString("https://evil.example/"), StringComparison.Ordinal),
            "token" => TokenParameter().Replace(sent.Click, ""),
            _ => sent.Click.Replace(sent.MessageId, "out_0000000000000000000000000000000", StringComparison.Ordinal),
        };
        using var client = Browser();

        using var response = await client.GetAsync(link, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task The_pixel_puts_Email_Opened_on_the_profiles_timeline_and_opened_in_the_history()
    {
        var sent = await SendAsync();
        using var client = Browser();

        using var response = await client.GetAsync(sent.Pixel, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/gif", response.Content.Headers.ContentType!.MediaType);
        var opened = await EventAsync(sent.ProfileId, "Email Opened");
        Assert.Equal((sent.MessageId, false), ((string?)opened["message_id"], (bool?)opened["machine"]));
        Assert.Equal(1, (int?)opened["template_version"]);
        Assert.NotNull(opened["flow_id"]);
        var history = await HistoryAsync(sent.MessageId);
        Assert.Contains(history, h => (string?)h!["status"] == "opened" && h["detail"] is null);
    }

    [Fact]
    public async Task Opens_repeated_within_a_minute_count_once()
    {
        var sent = await SendAsync();
        using var client = Browser();

        (await client.GetAsync(sent.Pixel, Ct)).Dispose();
        (await client.GetAsync(sent.Pixel, Ct)).Dispose();

        await EventAsync(sent.ProfileId, "Email Opened");
        var history = await HistoryAsync(sent.MessageId);
        Assert.Single(history, h => (string?)h!["status"] == "opened");
    }

    [Fact]
    public async Task An_open_from_apples_proxy_is_flagged_as_mail_privacy_protection()
    {
        var sent = await SendAsync();
        using var client = Browser(AppleProxy, forwardedFor: "17.58.63.9");

        (await client.GetAsync(sent.Pixel, Ct)).Dispose();

        var opened = await EventAsync(sent.ProfileId, "Email Opened");
        Assert.Equal((true, "apple_mpp"), ((bool?)opened["machine"], (string?)opened["machine_reason"]));
        Assert.Contains(await HistoryAsync(sent.MessageId), h => (string?)h!["status"] == "opened" && (string?)h["detail"] == "machine: apple_mpp");
    }

    [Fact]
    public async Task A_scanners_head_request_still_redirects_but_the_click_is_flagged()
    {
        var sent = await SendAsync();
        using var client = Browser();

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, sent.Click), Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var clicked = await EventAsync(sent.ProfileId, "Email Link Clicked");
        Assert.Equal((Target, true, "head_request"), ((string?)clicked["url"], (bool?)clicked["machine"], (string?)clicked["machine_reason"]));
        Assert.Contains(await HistoryAsync(sent.MessageId), h => (string?)h!["status"] == "clicked" && (string?)h["detail"] == $"{Target} (machine: head_request)");
    }

    [Fact]
    public async Task The_view_in_browser_link_shows_the_email_without_its_pixel_and_records_the_view()
    {
        var sent = await SendAsync();
        using var client = Browser();

        using var response = await client.GetAsync(sent.View, Ct);
        var page = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Your cart is waiting, Ada", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/email/open/", page, StringComparison.Ordinal);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
        await EventAsync(sent.ProfileId, "Email Viewed In Browser");
        Assert.Contains(await HistoryAsync(sent.MessageId), h => (string?)h!["status"] == "viewed");
    }

    [Fact]
    public async Task The_message_record_names_its_template_version()
    {
        var sent = await SendAsync();
        using var admin = nudge.Admin();

        var detail = await admin.GetFromJsonAsync<JsonObject>($"/api/messages/{sent.MessageId}", Ct);

        Assert.Equal((sent.TemplateId, 1), ((string?)detail!["message"]!["templateId"], (int?)detail["message"]!["templateVersion"]));
    }

    [Fact]
    public async Task A_posted_hard_bounce_suppresses_the_address_and_bounces_the_message()
    {
        var sent = await SendAsync();

        var result = await PostFeedbackAsync(BounceSamples.About("dsn-hard-5.1.1.eml", sent.Key, sent.Address));

        var outcome = Assert.Single(result["reports"]!.AsArray())!;
        Assert.Equal(("hard_bounce", sent.MessageId, true), ((string?)outcome["kind"], (string?)outcome["messageId"], (bool?)outcome["suppressed"]));
        using var admin = nudge.Admin();
        var suppression = await admin.GetFromJsonAsync<JsonObject>($"/api/suppressions/email/{Uri.EscapeDataString(sent.Address)}", Ct);
        Assert.Equal("hard_bounce", (string?)suppression!["reason"]);
        var detail = await admin.GetFromJsonAsync<JsonObject>($"/api/messages/{sent.MessageId}", Ct);
        Assert.Equal("bounced", (string?)detail!["message"]!["status"]);
        Assert.Contains(detail["history"]!.AsArray(), h => (string?)h!["status"] == "bounced" && ((string?)h["detail"])!.StartsWith("hard bounce: 5.1.1", StringComparison.Ordinal));
        var bounced = await EventAsync(sent.ProfileId, "Email Bounced");
        Assert.Equal("hard", (string?)bounced["bounce_type"]);
    }

    [Fact]
    public async Task An_arf_complaint_suppresses_the_address_and_shows_complained_in_the_history()
    {
        var sent = await SendAsync();

        var result = await PostFeedbackAsync(BounceSamples.About("arf-abuse.eml", sent.Key, sent.Address));

        Assert.Equal("complaint", (string?)result["reports"]![0]!["kind"]);
        using var admin = nudge.Admin();
        var suppression = await admin.GetFromJsonAsync<JsonObject>($"/api/suppressions/email/{Uri.EscapeDataString(sent.Address)}", Ct);
        Assert.Equal("complaint", (string?)suppression!["reason"]);
        Assert.Contains(await HistoryAsync(sent.MessageId), h => (string?)h!["status"] == "complained");
        await EventAsync(sent.ProfileId, "Email Marked as Spam");
    }

    [Fact]
    public async Task Feedback_without_the_signed_token_is_refused()
    {
        using var client = nudge.CreateClient();
        using var content = new StringContent("From: x@example.com\r\n\r\nhello", Encoding.UTF8, "message/rfc822");

        using var response = await client.PostAsync($"/email/feedback/{await WorkspaceAsync()}?token=0.AAAA", content, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_unsubscribe_link_of_an_email_shows_unsubscribed_in_its_history()
    {
        var sent = await SendAsync();
        var unsubscribe = new Uri(sent.Mail.Headers[HeaderId.ListUnsubscribe]!.Trim('<', '>'));
        using var client = nudge.CreateClient();

        using var response = await client.PostAsync(unsubscribe.PathAndQuery,
            new FormUrlEncodedContent([new KeyValuePair<string, string>("List-Unsubscribe", "One-Click")]), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(await HistoryAsync(sent.MessageId), h => (string?)h!["status"] == "unsubscribed");
    }

    [Fact]
    public async Task With_tracking_turned_off_for_the_workspace_links_stay_as_written()
    {
        using var admin = nudge.Admin();
        var invalid = await admin.PutAsJsonAsync("/api/tracking/settings", new JsonObject { ["opens"] = false }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("clicks", await invalid.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/tracking/settings", new JsonObject { ["opens"] = false, ["clicks"] = false }, Ct)).StatusCode);

            var sent = await SendAsync(tracked: false);

            Assert.Contains($"href=\"{Target.Replace("&", "&amp;", StringComparison.Ordinal)}\"", sent.Mail.HtmlBody, StringComparison.Ordinal);
            Assert.DoesNotContain("/email/open/", sent.Mail.HtmlBody, StringComparison.Ordinal);
        }
        finally
        {
            await admin.PutAsJsonAsync("/api/tracking/settings", new JsonObject { ["opens"] = true, ["clicks"] = true }, Ct);
        }
    }

    /// <summary>A client that does not follow redirects, with a browser's user agent and optionally a forwarded client address.</summary>
    private HttpClient Browser(string agent = Firefox, string? forwardedFor = null)
    {
        var client = nudge.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.UserAgent.ParseAdd(agent);
        if (forwardedFor is not null)
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client;
    }

    private async Task<JsonObject> PostFeedbackAsync(string mime)
    {
        using var admin = nudge.Admin();
        var urls = await admin.GetFromJsonAsync<JsonObject>("/api/tracking/feedback-urls", Ct);
        var url = new Uri((string)urls!["mime"]!);
        using var client = nudge.CreateClient();
        using var content = new StringContent(mime, Encoding.UTF8, "message/rfc822");
        using var response = await client.PostAsync(url.PathAndQuery, content, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    private async Task<string> WorkspaceAsync()
    {
        using var admin = nudge.Admin();
        var urls = await admin.GetFromJsonAsync<JsonObject>("/api/tracking/feedback-urls", Ct);
        return new Uri((string)urls!["mime"]!).Segments[^1];
    }

    private async Task<JsonObject> EventAsync(string profileId, string name)
    {
        var timeline = await Eventually.ReadUntilAsync(_ => nudge.TimelineAsync(profileId), t => t.Any(e => Named(e, name)), Ct);
        var found = timeline.FirstOrDefault(e => Named(e, name)) ?? throw new InvalidOperationException($"no {name} in {timeline.ToJsonString()}");
        return found["message"]!["properties"]!.AsObject();
    }

    private static bool Named(JsonNode? e, string name) => (string?)e?["name"] == name;

    private async Task<JsonArray> HistoryAsync(string messageId)
    {
        using var admin = nudge.Admin();
        var detail = await admin.GetFromJsonAsync<JsonObject>($"/api/messages/{messageId}", Ct);
        return detail!["history"]!.AsArray();
    }

    /// <summary>A flow email to a new person, received by the sink; its tracking links read from the mail.</summary>
    private async Task<SentEmail> SendAsync(bool tracked = true)
    {
        var trigger = Some.Id("Checkout Started");
        var template = await TemplateAsync();
        await nudge.LiveEmailFlowAsync(trigger, template, smartSending: false);
        var user = Some.Id("ada");
        var address = $"{user}@example.com";
        await nudge.SendBatchAsync(NudgeApi.ServerKey,
            Some.Identify(user, traits: new JsonObject { ["email"] = address, ["firstName"] = "Ada" }),
            Some.Track(trigger, userId: user));

        var profileId = (string)(await nudge.WaitForProfileAsync(user, _ => true))["id"]!;
        var message = await nudge.SentMessageAsync(profileId);
        var mail = nudge.Sink.MessageFiles().Select(f => MimeMessage.Load(f)).First(m => m.To.Mailboxes.Any(a => a.Address == address));
        var html = mail.HtmlBody ?? "";
        string Link(Regex pattern) => tracked ? PathOf(WebUtility.HtmlDecode(pattern.Match(html).Groups[1].Value)) : "";
        return new SentEmail((string)message["id"]!, (string)message["key"]!, profileId, address, template, mail,
            Link(ClickLink()), Link(PixelLink()), Link(ViewLink()));
    }

    private static string PathOf(string url) => url.Length == 0 ? "" : new Uri(url).PathAndQuery;

    private async Task<string> TemplateAsync()
    {
        using var admin = nudge.Admin();
        var response = await admin.PostAsJsonAsync("/api/templates", new JsonObject
        {
            ["name"] = Some.Id("cart"),
            ["kind"] = "email",
            ["subject"] = "Your cart",
            ["html"] = $"<h1>Your cart is waiting, {{{{ profile.first_name }}}}</h1><p><a href=\"{Target}\">Back to your cart</a></p>" +
                "<p><a href=\"{{ links.view_in_browser_url }}\">View in your browser</a> " +
                "<a data-nudge-track=\"off\" href=\"https://shop.example/unsubscribe-info\">About unsubscribing</a></p>",
        }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body!.ToJsonString());
        return (string)body["id"]!;
    }

    private sealed record SentEmail(
        string MessageId, string Key, string ProfileId, string Address, string TemplateId, MimeMessage Mail, string Click, string Pixel, string View);

    [GeneratedRegex("href=\"([^\"]*/email/click/[^\"]*)\"")]
    private static partial Regex ClickLink();

    [GeneratedRegex("src=\"([^\"]*/email/open/[^\"]*)\"")]
    private static partial Regex PixelLink();

    [GeneratedRegex("href=\"([^\"]*/email/view/[^\"]*)\"")]
    private static partial Regex ViewLink();

    [GeneratedRegex("[&?]token=[^&]*")]
    private static partial Regex TokenParameter();
}
