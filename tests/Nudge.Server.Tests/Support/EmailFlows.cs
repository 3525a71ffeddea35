using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MimeKit;

namespace Nudge.Server.Tests.Support;

/// <summary>An email template, a live flow that sends it on a trigger event, and the email as the SMTP sink received it.</summary>
internal static class EmailFlows
{
    /// <summary>Creates an email template; returns its id.</summary>
    public static async Task<string> EmailTemplateAsync(this NudgeApi nudge, string subject, string html)
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = nudge.Admin();
        var response = await admin.PostAsJsonAsync("/api/templates", new JsonObject
        {
            ["name"] = Some.Id("email"),
            ["kind"] = "email",
            ["subject"] = subject,
            ["html"] = html,
        }, ct);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body!.ToJsonString());
        return (string)body["id"]!;
    }

    /// <summary>Creates and activates a flow that sends <paramref name="templateId"/> by email when <paramref name="trigger"/> comes.</summary>
    public static async Task LiveEmailFlowAsync(this NudgeApi nudge, string trigger, string templateId, bool smartSending = true)
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = nudge.Admin();
        var send = new JsonObject { ["type"] = "send", ["channel"] = "email", ["template"] = templateId };
        if (!smartSending)
            send["smartSending"] = false;
        var created = await admin.PostAsJsonAsync("/api/flows", new JsonObject
        {
            ["name"] = "Email",
            ["trigger"] = new JsonObject { ["event"] = trigger },
            ["start"] = "send",
            ["steps"] = new JsonObject { ["send"] = send },
        }, ct);
        var flow = await created.Content.ReadFromJsonAsync<JsonObject>(ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, flow!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/flows/{flow["id"]}/activate", null, ct)).StatusCode);
    }

    /// <summary>The profile's first message that delivery recorded as sent (as <c>/api/messages</c> lists it), once there is one.</summary>
    public static async Task<JsonObject> SentMessageAsync(this NudgeApi nudge, string profileId)
    {
        using var admin = nudge.Admin();
        var page = await Eventually.ReadUntilAsync(
            ct => admin.GetFromJsonAsync<JsonObject>($"/api/messages?profileId={profileId}", ct),
            p => p!["messages"]!.AsArray().Any(m => (string?)m!["status"] == "sent"), TestContext.Current.CancellationToken);
        return page!["messages"]!.AsArray().First(m => (string?)m!["status"] == "sent")!.AsObject();
    }

    /// <summary>The email to <paramref name="to"/> (whose local part is the user id), once delivery recorded it as sent.</summary>
    public static async Task<MimeMessage> ReceivedEmailAsync(this NudgeWithSmtp nudge, string to)
    {
        // smtp-sink writes the file as the message comes in: it is read once delivery has recorded the relay's 250.
        var ct = TestContext.Current.CancellationToken;
        using var admin = nudge.Admin();
        var sent = await Eventually.ReadUntilAsync(
            async ct =>
            {
                var profile = await nudge.WaitForProfileAsync(to.Split('@')[0], _ => true);
                return await admin.GetFromJsonAsync<JsonObject>($"/api/messages?profileId={profile["id"]}", ct);
            },
            page => page!["messages"]!.AsArray().Any(m => (string?)m!["status"] == "sent"), ct);
        Assert.True(sent!["messages"]!.AsArray().Any(m => (string?)m!["status"] == "sent"), "not sent: " + sent.ToJsonString());
        var found = nudge.Sink.MessageFiles().Select(f => MimeMessage.Load(f)).FirstOrDefault(m => m.To.Mailboxes.Any(a => a.Address == to));
        return found ?? throw new InvalidOperationException($"no message to {to} in the sink");
    }
}
