using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Flows;

/// <summary>
/// A workspace's own delivery policy decides its flows' messages: settings changed through the API apply to the next
/// message prepared. Each test puts the whole policy it needs, so the order of the tests does not matter.
/// </summary>
public sealed class FlowDeliveryPolicyTests(NudgeWithSms nudge) : IClassFixture<NudgeWithSms>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Defaults = """
        {
          "smartSending": { "email": { "hours": 16 }, "sms": { "hours": 24 }, "push": { "hours": 24 } },
          "frequencyCaps": [ { "channel": "email", "max": 3, "window": { "days": 7 } } ],
          "quietHours": { "sms": { "start": "21:00", "end": "09:00" }, "push": { "start": "21:00", "end": "09:00" } },
          "fallbackTimeZone": "UTC",
          "channelsWithoutOptIn": [ "email" ],
          "quietHoursHoldTransactional": false
        }
        """;

    [Fact]
    public async Task A_workspace_that_turned_sms_quiet_hours_off_gets_an_sms_sent_in_the_middle_of_the_night()
    {
        await PutPolicyAsync(Defaults);
        var shipped = await nudge.LiveSmsFlowAsync("Your order is on its way.");

        // With quiet hours on, a person for whom it is 02:00 gets the SMS held until 09:00.
        var (held, heldPhone) = await PersonAsync("night-owl", Some.NightZone());
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track(shipped, userId: held));
        var delayed = await HistoryEntryAsync(held, "delayed");
        Assert.StartsWith("quietHours: Quiet hours for SMS (21:00 to 09:00", delayed, StringComparison.Ordinal);

        await PutPolicyAsync(Defaults.Replace("\"sms\": { \"start\": \"21:00\", \"end\": \"09:00\" }, ", "", StringComparison.Ordinal));
        var (sent, sentPhone) = await PersonAsync("night-shift", Some.NightZone());
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track(shipped, userId: sent));

        var outbox = await Eventually.ReadUntilAsync(_ => Task.FromResult(nudge.Sent.ToArray()), s => s.Any(m => m.To == sentPhone), Ct);
        Assert.Contains((sentPhone, "Your order is on its way."), outbox);
        Assert.DoesNotContain(nudge.Sent, m => m.To == heldPhone);
    }

    [Fact]
    public async Task A_workspace_smart_sending_window_skips_the_second_sms_and_says_why()
    {
        await PutPolicyAsync(Defaults.Replace("\"sms\": { \"hours\": 24 }", "\"sms\": \"P2D\"", StringComparison.Ordinal));
        var shipped = await nudge.LiveSmsFlowAsync("Your order is on its way.");
        var review = await nudge.LiveSmsFlowAsync("How do you like it?");
        var (user, phone) = await PersonAsync("reviewer", Some.AfternoonZone());

        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track(shipped, userId: user));
        await Eventually.ReadUntilAsync(_ => Task.FromResult(nudge.Sent.ToArray()), s => s.Any(m => m.To == phone), Ct);
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track(review, userId: user));

        var skipped = await HistoryEntryAsync(user, "skipped");
        Assert.StartsWith("smartSending: Smart sending: an SMS already went to the person", skipped, StringComparison.Ordinal);
        // The workspace's window, not the 24-hour default.
        Assert.EndsWith("at most one every 2 days.", skipped, StringComparison.Ordinal);
        Assert.Equal(["Your order is on its way."], nudge.Sent.Where(m => m.To == phone).Select(m => m.Body));
    }

    private async Task PutPolicyAsync(string json)
    {
        using var admin = nudge.Admin();
        var response = await admin.PutAsync("/api/delivery/policy", new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>A person subscribed to SMS with a phone number, living in <paramref name="zone"/>; returns (user id, phone).</summary>
    private async Task<(string User, string Phone)> PersonAsync(string name, string zone)
    {
        var user = Some.Id(name);
        var phone = "+4915114" + Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: new JsonObject
        {
            ["phone"] = phone,
            ["timezone"] = zone,
            ["consent"] = new JsonObject { ["sms"] = true },
        }));
        return (user, phone);
    }

    /// <summary>The detail of the first history entry with <paramref name="status"/> of a message to the person.</summary>
    private async Task<string> HistoryEntryAsync(string user, string status)
    {
        var profileId = (string)(await nudge.WaitForProfileAsync(user, _ => true))["id"]!;
        using var admin = nudge.Admin();
        var entry = await Eventually.ReadUntilAsync(async ct =>
        {
            var page = await admin.GetFromJsonAsync<JsonObject>($"/api/messages?profileId={profileId}", ct);
            foreach (var message in page!["messages"]!.AsArray())
            {
                var detail = await admin.GetFromJsonAsync<JsonObject>($"/api/messages/{message!["id"]}", ct);
                if (detail!["history"]!.AsArray().FirstOrDefault(h => (string?)h!["status"] == status) is { } found)
                    return (string?)found["detail"];
            }
            return null;
        }, d => d is not null, Ct);
        return entry ?? throw new TimeoutException($"No message to {user} was {status}.");
    }
}
