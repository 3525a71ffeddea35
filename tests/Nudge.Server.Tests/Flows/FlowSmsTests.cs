using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Flows;

/// <summary>A flow's SMS step: rendered for the person, checked by the policy, handed to the SMS provider.</summary>
public sealed class FlowSmsTests(NudgeWithSms nudge) : IClassFixture<NudgeWithSms>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_subscribed_person_gets_the_flows_sms_rendered_with_the_events_data()
    {
        var phone = "+4915112" + Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var shipped = await nudge.LiveSmsFlowAsync("Hi {{ profile.first_name }}, order {{ event.order_id }} is on its way.");
        var user = Some.Id("ada");

        await nudge.SendBatchAsync(NudgeApi.ServerKey,
            Some.Identify(user, traits: new JsonObject { ["phone"] = phone, ["firstName"] = "Ada", ["timezone"] = Some.AfternoonZone(), ["consent"] = new JsonObject { ["sms"] = true } }),
            Some.Track(shipped, userId: user, properties: new JsonObject { ["order_id"] = "1001" }));

        var sent = await Eventually.ReadUntilAsync(_ => Task.FromResult(nudge.Sent.ToArray()), s => s.Any(m => m.To == phone), Ct);
        Assert.Contains((phone, "Hi Ada, order 1001 is on its way."), sent);
    }

    [Fact]
    public async Task A_person_who_never_subscribed_to_sms_gets_none()
    {
        var phone = "+4915113" + Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var shipped = await nudge.LiveSmsFlowAsync("Your order is on its way.");
        var user = Some.Id("bob");

        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: new JsonObject { ["phone"] = phone }), Some.Track(shipped, userId: user));

        var profileId = (string)(await nudge.WaitForProfileAsync(user, _ => true))["id"]!;
        using var admin = nudge.Admin();
        var page = await Eventually.ReadUntilAsync(ct => admin.GetFromJsonAsync<JsonObject>($"/api/messages?profileId={profileId}", ct),
            p => p!["messages"]!.AsArray().Any(m => (string?)m!["status"] == "skipped"), Ct);
        Assert.Contains(page!["messages"]!.AsArray(), m => (string?)m!["status"] == "skipped" && (string?)m["channel"] == "sms");
        Assert.DoesNotContain(nudge.Sent, m => m.To == phone);
    }
}
