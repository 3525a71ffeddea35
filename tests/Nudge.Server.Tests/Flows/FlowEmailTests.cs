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
        var template = await nudge.EmailTemplateAsync("Your cart, {{ profile.first_name }}", "<p>You left {{ event.value | money }} in your cart.</p>");
        await nudge.LiveEmailFlowAsync(checkout, template);
        var user = Some.Id("ada");

        await nudge.SendBatchAsync(NudgeApi.ServerKey,
            Some.Identify(user, traits: new JsonObject { ["email"] = $"{user}@example.com", ["firstName"] = "Ada", ["consent"] = new JsonObject { ["email"] = true } }),
            Some.Track(checkout, userId: user, properties: new JsonObject { ["value"] = 49.9, ["currency"] = "EUR" }));

        var mail = await nudge.ReceivedEmailAsync($"{user}@example.com");
        Assert.Equal("Your cart, Ada", mail.Subject);
        Assert.Contains("€49.90", mail.HtmlBody, StringComparison.Ordinal);
        Assert.NotNull(mail.Headers[HeaderId.DkimSignature]);
    }

    [Fact]
    public async Task Without_email_consent_the_message_is_skipped_and_the_reason_is_in_its_history()
    {
        var checkout = Some.Id("Checkout Started");
        var template = await nudge.EmailTemplateAsync("Your cart", "<p>Come back</p>");
        await nudge.LiveEmailFlowAsync(checkout, template);
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
}
