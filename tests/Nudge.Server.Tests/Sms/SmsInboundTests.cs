using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nudge.Channels.Sms;
using Nudge.Server.Tests.Support;
using Nudge.Storage.Keys;

namespace Nudge.Server.Tests.Sms;

/// <summary>A Nudge with an SMS provider account set up.</summary>
public sealed class NudgeWithSms : NudgeApi
{
    public const string AuthToken = "test-auth-token";

    public NudgeWithSms()
    {
        Settings["Nudge:Sms:AccountSid"] = "AC0123456789";
        Settings["Nudge:Sms:AuthToken"] = AuthToken;
        Settings["Nudge:Sms:From"] = "+15005550006";
    }
}

public sealed class SmsInboundTests(NudgeWithSms nudge) : IClassFixture<NudgeWithSms>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task STOP_from_a_customers_phone_unsubscribes_them_from_sms()
    {
        var (phone, profileId) = await CustomerWithPhoneAsync();

        var response = await InboundAsync(phone, "Stop");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType!.MediaType);
        var consent = await WaitForSmsAsync(profileId, "unsubscribed");
        Assert.Equal("unsubscribed", (string?)consent["channels"]!["sms"]!["status"]);
        var entry = consent["history"]!.AsArray().Last()!;
        Assert.Equal(("sms keyword", "Stop"), ((string?)entry["source"], (string?)entry["wording"]));
    }

    [Fact]
    public async Task START_after_STOP_subscribes_the_number_again()
    {
        var (phone, profileId) = await CustomerWithPhoneAsync();
        await InboundAsync(phone, "STOP");
        await WaitForSmsAsync(profileId, "unsubscribed");

        await InboundAsync(phone, "start");

        var consent = await WaitForSmsAsync(profileId, "subscribed");
        Assert.Equal("subscribed", (string?)consent["channels"]!["sms"]!["status"]);
    }

    [Fact]
    public async Task A_retried_webhook_records_the_change_once()
    {
        var (phone, profileId) = await CustomerWithPhoneAsync();
        var sid = "SM" + Guid.NewGuid().ToString("N");

        await InboundAsync(phone, "STOP", sid);
        await InboundAsync(phone, "STOP", sid);
        await InboundAsync(phone, "hello", "SM" + Guid.NewGuid().ToString("N"));

        var consent = await WaitForSmsAsync(profileId, "unsubscribed");
        var timeline = await nudge.TimelineAsync(profileId);
        Assert.Single(timeline, e => (string?)e!["name"] == "Consent Changed");
        Assert.Single(consent["history"]!.AsArray());
    }

    [Fact]
    public async Task A_request_without_the_providers_signature_is_refused_and_changes_nothing()
    {
        var (phone, profileId) = await CustomerWithPhoneAsync();

        var forged = await InboundAsync(phone, "STOP", signWith: "someone-elses-token");

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        await InboundAsync(phone, "hello");
        using var admin = nudge.Admin();
        var consent = await admin.GetFromJsonAsync<JsonObject>($"/api/profiles/{profileId}/consent", Ct);
        Assert.Equal("neverSubscribed", (string?)consent!["channels"]!["sms"]!["status"]);
    }

    [Fact]
    public async Task An_unknown_workspace_is_not_found()
    {
        var response = await InboundAsync("+14155550100", "STOP", workspace: "ws_nobody");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<HttpResponseMessage> InboundAsync(string from, string body, string? sid = null, string signWith = NudgeWithSms.AuthToken, string? workspace = null)
    {
        workspace ??= await WorkspaceAsync();
        var url = $"http://localhost/sms/inbound/{workspace}";
        var form = new Dictionary<string, string>
        {
            ["MessageSid"] = sid ?? "SM" + Guid.NewGuid().ToString("N"),
            ["AccountSid"] = "AC0123456789",
            ["From"] = from,
            ["To"] = "+15005550006",
            ["Body"] = body,
            ["NumMedia"] = "0",
        };
        using var client = nudge.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.Header, TwilioSignature.Compute(signWith, url, form));
        return await client.SendAsync(request, Ct);
    }

    private async Task<(string Phone, string ProfileId)> CustomerWithPhoneAsync()
    {
        var userId = Some.Id("cust");
        // A German mobile number (+49 151 and eight digits), so the identify links it.
        var phone = "+49151" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(userId, traits: new JsonObject { ["phone"] = phone }));
        var profile = await nudge.WaitForProfileAsync(userId, p => p["identities"]!.AsArray().Any(i => (string?)i!["value"] == phone));
        return (phone, (string)profile["id"]!);
    }

    private async Task<string> WorkspaceAsync() =>
        (await nudge.Services.GetRequiredService<KeyStore>().FindAsync(NudgeApi.ServerKey, Ct))!.WorkspaceId;

    private async Task<JsonObject> WaitForSmsAsync(string profileId, string status)
    {
        using var admin = nudge.Admin();
        return await Eventually.ReadUntilAsync(
            async ct => (await admin.GetFromJsonAsync<JsonObject>($"/api/profiles/{profileId}/consent", ct))!,
            c => (string?)c["channels"]!["sms"]!["status"] == status, Ct);
    }
}
