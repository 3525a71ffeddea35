using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Nudge.Server.Tests.Support;

/// <summary>A live flow that texts its template when its (unique) trigger event comes.</summary>
internal static class SmsFlows
{
    /// <summary>Creates the SMS template and the live flow; returns the trigger event's name.</summary>
    public static async Task<string> LiveSmsFlowAsync(this NudgeApi nudge, string body)
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = nudge.Admin();
        var template = await admin.PostAsJsonAsync("/api/templates", new JsonObject { ["name"] = Some.Id("sms"), ["kind"] = "sms", ["body"] = body }, ct);
        var templateBody = await template.Content.ReadFromJsonAsync<JsonObject>(ct);
        Assert.True(template.StatusCode == HttpStatusCode.Created, templateBody!.ToJsonString());
        var trigger = Some.Id("Order Shipped");
        var flow = await admin.PostAsJsonAsync("/api/flows", new JsonObject
        {
            ["name"] = "Shipping",
            ["trigger"] = new JsonObject { ["event"] = trigger },
            ["start"] = "text",
            ["steps"] = new JsonObject { ["text"] = new JsonObject { ["type"] = "send", ["channel"] = "sms", ["template"] = (string)templateBody["id"]! } },
        }, ct);
        var flowBody = await flow.Content.ReadFromJsonAsync<JsonObject>(ct);
        Assert.True(flow.StatusCode == HttpStatusCode.Created, flowBody!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/flows/{flowBody["id"]}/activate", null, ct)).StatusCode);
        return trigger;
    }
}
