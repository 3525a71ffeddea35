using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Consent;

public sealed class ConsentApiTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Consent_recorded_through_the_api_applies_with_its_audit_entry()
    {
        var (_, profileId) = await PersonAsync();

        var response = await ChangeAsync(profileId, "email", "subscribed", source: "import", wording: "Yes, send me the newsletter.");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var consent = await WaitForConsentAsync(profileId, c => c["history"]!.AsArray().Count == 1);
        Assert.Equal("subscribed", (string?)consent["channels"]!["email"]!["status"]);
        var entry = consent["history"]![0]!;
        Assert.Equal(("import", "Yes, send me the newsletter.", true, "subscribed"),
            ((string?)entry["source"], (string?)entry["wording"], (bool)entry["applied"]!, (string?)entry["status"]));
    }

    [Fact]
    public async Task A_channel_nobody_consented_to_is_never_subscribed()
    {
        var (_, profileId) = await PersonAsync();
        using var admin = nudge.Admin();

        var consent = await admin.GetFromJsonAsync<JsonObject>($"/api/profiles/{profileId}/consent", Ct);

        Assert.Equal(["neverSubscribed", "neverSubscribed", "neverSubscribed"],
            new[] { "email", "sms", "push" }.Select(c => (string?)consent!["channels"]![c]!["status"]));
        Assert.Empty(consent!["history"]!.AsArray());
    }

    [Fact]
    public async Task An_invalid_consent_change_names_the_fields_that_are_wrong()
    {
        var (_, profileId) = await PersonAsync();

        var response = await ChangeAsync(profileId, "fax", "maybe");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(["channel", "status"], problem!["errors"]!.AsObject().Select(e => e.Key).Order());
    }

    [Fact]
    public async Task Consent_of_an_unknown_profile_is_not_found()
    {
        using var admin = nudge.Admin();

        var response = await admin.GetAsync("/api/profiles/prf_nobody/consent", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_server_keys_consent_changed_event_applies_as_a_double_opt_in_would_send_it()
    {
        var (user, profileId) = await PersonAsync();

        await nudge.SendBatchAsync(NudgeApi.ServerKey, ConsentChanged(user, "sms", "subscribed", "double opt-in"));

        var consent = await WaitForConsentAsync(profileId, c => c["history"]!.AsArray().Count == 1);
        Assert.Equal(("subscribed", "double opt-in"), ((string?)consent["channels"]!["sms"]!["status"], (string?)consent["channels"]!["sms"]!["source"]));
    }

    [Fact]
    public async Task A_browser_keys_consent_changed_event_is_recorded_as_refused()
    {
        var user = Some.Id("user");
        var anonymous = Some.Id("anon");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, anonymous, new JsonObject { ["email"] = $"{user}@example.com" }));
        var profileId = (string)(await nudge.WaitForProfileAsync(user, _ => true))["id"]!;
        var changed = ConsentChanged(null, "email", "subscribed", "double opt-in");
        changed["anonymousId"] = anonymous;

        await nudge.SendBatchAsync(NudgeApi.BrowserKey, changed);

        var consent = await WaitForConsentAsync(profileId, c => c["history"]!.AsArray().Count == 1);
        Assert.Equal("neverSubscribed", (string?)consent["channels"]!["email"]!["status"]);
        Assert.Equal((false, "browser key"), ((bool)consent["history"]![0]!["applied"]!, (string?)consent["history"]![0]!["source"]));
    }

    [Fact]
    public async Task The_consent_export_lists_the_workspaces_audit_trail_as_csv()
    {
        var (user, profileId) = await PersonAsync();
        await ChangeAsync(profileId, "email", "subscribed", source: "signup form", wording: "Keep me posted");
        await WaitForConsentAsync(profileId, c => c["history"]!.AsArray().Count == 1);
        using var admin = nudge.Admin();

        var response = await admin.GetAsync("/api/consent/export", Ct);
        var lines = (await response.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("profile_id,email,channel,status,source,at,ip,wording,applied,user_agent,phone,message_id", lines[0]);
        var row = Assert.Single(lines, l => l.StartsWith(profileId, StringComparison.Ordinal)).Split(',');
        Assert.Equal([profileId, $"{user}@example.com", "email", "subscribed", "signup form"], row[..5]);
        Assert.Equal(("Keep me posted", "true"), (row[7], row[8]));
    }

    [Fact]
    public async Task The_consent_export_leaves_out_changes_before_since()
    {
        var (_, profileId) = await PersonAsync();
        await ChangeAsync(profileId, "push", "subscribed");
        await WaitForConsentAsync(profileId, c => c["history"]!.AsArray().Count == 1);
        using var admin = nudge.Admin();
        var later = DateTimeOffset.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture);

        var csv = await admin.GetStringAsync($"/api/consent/export?since={Uri.EscapeDataString(later)}", Ct);

        Assert.DoesNotContain(profileId, csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_since_is_refused_naming_the_field()
    {
        using var admin = nudge.Admin();

        var response = await admin.GetAsync("/api/consent/export?since=yesterday", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("since", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["field"]);
    }

    [Fact]
    public async Task The_profile_export_holds_the_consent_and_its_audit_trail()
    {
        var (_, profileId) = await PersonAsync();
        await ChangeAsync(profileId, "email", "unsubscribed", source: "phone call");
        await WaitForConsentAsync(profileId, c => c["history"]!.AsArray().Count == 1);
        using var admin = nudge.Admin();

        var export = await admin.GetFromJsonAsync<JsonObject>($"/api/profiles/{profileId}/export", Ct);

        Assert.Equal("unsubscribed", (string?)export!["consent"]!["channels"]!["email"]!["status"]);
        Assert.Equal("phone call", (string?)export["consent"]!["history"]![0]!["source"]);
    }

    [Fact]
    public async Task A_consent_segment_gains_and_loses_the_person_as_their_consent_changes()
    {
        var segment = await CreateReadyAsync(new JsonObject
        {
            ["name"] = "Email subscribers",
            ["condition"] = new JsonObject { ["consent"] = "email", ["status"] = "subscribed" },
        });
        var (_, profileId) = await PersonAsync();

        await ChangeAsync(profileId, "email", "subscribed");
        await MembershipAsync(profileId, segment, member: true);
        await ChangeAsync(profileId, "email", "unsubscribed");

        await MembershipAsync(profileId, segment, member: false);
    }

    private async Task<(string User, string ProfileId)> PersonAsync()
    {
        var user = Some.Id("user");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: new JsonObject { ["email"] = $"{user}@example.com" }));
        return (user, (string)(await nudge.WaitForProfileAsync(user, _ => true))["id"]!);
    }

    private async Task<HttpResponseMessage> ChangeAsync(string profileId, string channel, string status, string? source = null, string? wording = null)
    {
        using var admin = nudge.Admin();
        var body = new JsonObject { ["channel"] = channel, ["status"] = status };
        if (source is not null)
            body["source"] = source;
        if (wording is not null)
            body["wording"] = wording;
        return await admin.PostAsJsonAsync($"/api/profiles/{profileId}/consent", body, Ct);
    }

    private async Task<JsonObject> WaitForConsentAsync(string profileId, Func<JsonObject, bool> done)
    {
        using var admin = nudge.Admin();
        return (await Eventually.ReadUntilAsync(ct => admin.GetFromJsonAsync<JsonObject>($"/api/profiles/{profileId}/consent", ct), c => done(c!), Ct))!;
    }

    private static JsonObject ConsentChanged(string? user, string channel, string status, string source) =>
        Some.Track("Consent Changed", user, properties: new JsonObject { ["channel"] = channel, ["status"] = status, ["source"] = source });

    private async Task<string> CreateReadyAsync(JsonObject definition)
    {
        using var admin = nudge.Admin();
        var response = await admin.PostAsJsonAsync("/api/segments", definition, Ct);
        var id = (string)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!;
        var segment = await Eventually.ReadUntilAsync(
            ct => admin.GetFromJsonAsync<JsonObject>($"/api/segments/{id}", ct), s => (string?)s!["status"] == "ready", Ct);
        Assert.Equal("ready", (string?)segment!["status"]);
        return id;
    }

    private async Task MembershipAsync(string profileId, string segmentId, bool member)
    {
        using var admin = nudge.Admin();
        var rows = await Eventually.ReadUntilAsync(
            ct => admin.GetFromJsonAsync<JsonArray>($"/api/profiles/{profileId}/segments", ct),
            rows => rows!.Any(r => (string?)r!["segmentId"] == segmentId && (bool?)r["member"] == member), Ct);
        Assert.Contains(rows!, r => (string?)r!["segmentId"] == segmentId && (bool?)r["member"] == member);
    }
}
