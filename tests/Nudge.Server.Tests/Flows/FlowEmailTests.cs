using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MimeKit;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Flows;

/// <summary>From a tracked event to a rendered, signed email in the mailbox: a flow's send step through preparation, policy and SMTP.</summary>
public sealed class FlowEmailTests(NudgeWithSmtp nudge) : IClassFixture<NudgeWithSmtp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_checkout_sends_the_cart_email_rendered_for_the_person_with_the_events_data()
    {
        var checkout = Some.Id("Checkout Started");
        var template = await TemplateAsync("Your cart, {{ profile.first_name }}", "<p>You left {{ event.value | money }} in your cart.</p>");
        await LiveFlowAsync(checkout, template);
        var user = Some.Id("ada");

        await nudge.SendBatchAsync(NudgeApi.ServerKey,
            Some.Identify(user, traits: new JsonObject { ["email"] = $"{user}@example.com", ["firstName"] = "Ada", ["consent"] = new JsonObject { ["email"] = true } }),
            Some.Track(checkout, userId: user, properties: new JsonObject { ["value"] = 49.9, ["currency"] = "EUR" }));

        var mail = await ReceivedAsync($"{user}@example.com");
        Assert.Equal("Your cart, Ada", mail.Subject);
        Assert.Contains("€49.90", mail.HtmlBody, StringComparison.Ordinal);
        Assert.NotNull(mail.Headers[HeaderId.DkimSignature]);
    }

    [Fact]
    public async Task Without_email_consent_the_message_is_skipped_and_the_reason_is_in_its_history()
    {
        var checkout = Some.Id("Checkout Started");
        var template = await TemplateAsync("Your cart", "<p>Come back</p>");
        await LiveFlowAsync(checkout, template);
        var user = Some.Id("bob");

        await nudge.SendBatchAsync(NudgeApi.ServerKey,
            Some.Identify(user, traits: new JsonObject { ["email"] = $"{user}@example.com", ["consent"] = new JsonObject { ["email"] = false } }),
            Some.Track(checkout, userId: user));

        var profileId = (string)(await nudge.WaitForProfileAsync(user, _ => true))["id"]!;
        using var admin = nudge.Admin();
        var messages = await Eventually.ReadUntilAsync(
            ct => admin.GetFromJsonAsync<JsonObject>($"/api/messages?profileId={profileId}", ct),
            page => page!["messages"]!.AsArray().Any(m => (string?)m!["status"] == "skipped"), Ct);
        var skipped = messages!["messages"]!.AsArray().First(m => (string?)m!["status"] == "skipped")!;
        var detail = await admin.GetFromJsonAsync<JsonObject>($"/api/messages/{skipped["id"]}", Ct);
        Assert.Contains(detail!["history"]!.AsArray(), h => (string?)h!["status"] == "skipped" && ((string?)h["detail"])!.StartsWith("consent", StringComparison.Ordinal));
    }

    private async Task<string> TemplateAsync(string subject, string html)
    {
        using var admin = nudge.Admin();
        var response = await admin.PostAsJsonAsync("/api/templates", new JsonObject
        {
            ["name"] = Some.Id("cart"),
            ["kind"] = "email",
            ["subject"] = subject,
            ["html"] = html,
        }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body!.ToJsonString());
        return (string)body["id"]!;
    }

    private async Task LiveFlowAsync(string trigger, string template)
    {
        using var admin = nudge.Admin();
        var created = await admin.PostAsJsonAsync("/api/flows", new JsonObject
        {
            ["name"] = "Cart",
            ["trigger"] = new JsonObject { ["event"] = trigger },
            ["start"] = "remind",
            ["steps"] = new JsonObject { ["remind"] = new JsonObject { ["type"] = "send", ["channel"] = "email", ["template"] = template } },
        }, Ct);
        var flow = await created.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, flow!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/flows/{flow["id"]}/activate", null, Ct)).StatusCode);
    }

    private async Task<MimeMessage> ReceivedAsync(string to)
    {
        // smtp-sink writes the file as the message comes in: it is read once delivery has recorded the relay's 250.
        using var admin = nudge.Admin();
        var sent = await Eventually.ReadUntilAsync(
            async ct =>
            {
                var profile = await nudge.WaitForProfileAsync(to.Split('@')[0], _ => true);
                return await admin.GetFromJsonAsync<JsonObject>($"/api/messages?profileId={profile["id"]}", ct);
            },
            page => page!["messages"]!.AsArray().Any(m => (string?)m!["status"] == "sent"), Ct);
        Assert.True(sent!["messages"]!.AsArray().Any(m => (string?)m!["status"] == "sent"), "not sent: " + sent.ToJsonString());
        var found = nudge.Sink.MessageFiles().Select(f => MimeMessage.Load(f)).FirstOrDefault(m => m.To.Mailboxes.Any(a => a.Address == to));
        return found ?? throw new InvalidOperationException($"no message to {to} in the sink");
    }
}
