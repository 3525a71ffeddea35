using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Segments;

public sealed class SegmentsApiTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_profile_enters_a_segment_as_soon_as_its_events_match_and_the_timeline_shows_it()
    {
        var category = Some.Id("shoes");
        var segment = await CreateReadyAsync(ViewedTwice(category, "days", 30));
        var user = Some.Id("user");

        await nudge.SendBatchAsync(NudgeApi.ServerKey, Viewed(user, category), Viewed(user, category));

        var profileId = await ProfileIdAsync(user);
        var membership = await MembershipAsync(profileId, segment, member: true);
        Assert.Equal("Viewed twice", (string?)membership["name"]);
        await WaitForTimelineAsync(profileId, "Segment Entered");
        Assert.Equal(1, await CountAsync(segment));
    }

    [Fact]
    public async Task One_matching_event_is_not_enough_for_at_least_two()
    {
        var category = Some.Id("shoes");
        var segment = await CreateReadyAsync(ViewedTwice(category, "days", 30));
        var user = Some.Id("user");

        await nudge.SendBatchAsync(NudgeApi.ServerKey, Viewed(user, category), Viewed(user, "other-" + category));
        await nudge.WaitForProfileAsync(user, p => (long?)p["computed"]!["eventCount"] == 2);

        Assert.Equal(0, await CountAsync(segment));
    }

    [Fact]
    public async Task A_member_leaves_when_the_window_passes_without_a_new_event()
    {
        var category = Some.Id("shoes");
        var segment = await CreateReadyAsync(ViewedTwice(category, "minutes", 1));
        var user = Some.Id("user");
        // Viewed 57 s ago: the window of one minute closes about three seconds from now. Whole milliseconds, as the
        // log keeps them: the window closes exactly a minute after the stored time.
        var at = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(-57).ToUnixTimeMilliseconds());

        await nudge.SendBatchAsync(NudgeApi.ServerKey, Viewed(user, category, at), Viewed(user, category, at));

        var profileId = await ProfileIdAsync(user);
        await MembershipAsync(profileId, segment, member: true);
        var left = await MembershipAsync(profileId, segment, member: false);
        Assert.True(DateTimeOffset.Parse((string)left["since"]!, CultureInfo.InvariantCulture) >= at.AddMinutes(1));
        await WaitForTimelineAsync(profileId, "Segment Exited");
    }

    [Fact]
    public async Task A_new_segment_is_built_from_the_history_already_logged()
    {
        var category = Some.Id("shoes");
        var user = Some.Id("user");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Viewed(user, category), Viewed(user, category));
        var profileId = await ProfileIdAsync(user);
        await nudge.WaitForProfileAsync(user, p => (long?)p["computed"]!["eventCount"] == 2);

        var segment = await CreateReadyAsync(ViewedTwice(category, "days", 30));

        Assert.Equal(1, await CountAsync(segment));
        using var admin = nudge.Admin();
        var members = await admin.GetFromJsonAsync<JsonObject>($"/api/segments/{segment}/members", Ct);
        Assert.Equal(profileId, (string?)members!["members"]![0]!["profileId"]);
    }

    [Fact]
    public async Task A_build_counts_the_anonymous_history_of_a_merged_profile_for_the_person()
    {
        var category = Some.Id("shoes");
        var user = Some.Id("user");
        var anonymous = Some.Id("anon");
        JsonObject View() => Some.Track("Product Viewed", anonymousId: anonymous, properties: new JsonObject { ["category"] = category });
        await nudge.SendBatchAsync(NudgeApi.BrowserKey, View(), View());
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, anonymousId: anonymous));
        var profile = await nudge.WaitForProfileAsync(user, p => (long?)p["computed"]!["eventCount"] == 3);

        var segment = await CreateReadyAsync(ViewedTwice(category, "days", 30));

        using var admin = nudge.Admin();
        var members = await admin.GetFromJsonAsync<JsonObject>($"/api/segments/{segment}/members", Ct);
        Assert.Equal([(string?)profile["id"]], members!["members"]!.AsArray().Select(m => (string?)m!["profileId"]));
    }

    [Fact]
    public async Task Profile_properties_take_part_in_membership()
    {
        var city = Some.Id("city");
        var segment = await CreateReadyAsync(new JsonObject
        {
            ["name"] = "Locals",
            ["condition"] = new JsonObject { ["property"] = "traits.city", ["operator"] = "equals", ["value"] = city },
        });
        var user = Some.Id("user");

        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: new JsonObject { ["city"] = city.ToUpperInvariant() }));

        await MembershipAsync(await ProfileIdAsync(user), segment, member: true);
    }

    [Fact]
    public async Task An_invalid_definition_is_refused_with_the_field_that_is_wrong()
    {
        using var admin = nudge.Admin();

        var response = await admin.PostAsJsonAsync("/api/segments", new JsonObject
        {
            ["name"] = "Broken",
            ["condition"] = new JsonObject
            {
                ["and"] = new JsonArray(
                    new JsonObject { ["event"] = "Order Completed", ["window"] = new JsonObject { ["last"] = 5000, ["unit"] = "days" } }),
            },
        }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Contains("730 days", problem!["errors"]!["condition.and[0].window.last"]![0]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_definition_naming_an_unknown_segment_is_refused()
    {
        using var admin = nudge.Admin();

        var response = await admin.PostAsJsonAsync("/api/segments", new JsonObject
        {
            ["name"] = "Broken",
            ["condition"] = new JsonObject { ["segment"] = "seg_does_not_exist" },
        }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("seg_does_not_exist", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_counts_matching_profiles_without_saving_anything()
    {
        var category = Some.Id("shoes");
        var user = Some.Id("user");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Viewed(user, category), Viewed(user, category));
        var profileId = await ProfileIdAsync(user);
        await nudge.WaitForProfileAsync(user, p => (long?)p["computed"]!["eventCount"] == 2);
        using var admin = nudge.Admin();

        var response = await admin.PostAsJsonAsync("/api/segments/preview", ViewedTwice(category, "days", 30), Ct);

        var preview = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(1, (long?)preview!["count"]);
        Assert.Equal(profileId, (string?)preview["sample"]![0]);
        Assert.DoesNotContain((await admin.GetFromJsonAsync<JsonArray>("/api/segments", Ct))!, s => (string?)s!["name"] == "preview");
    }

    [Fact]
    public async Task Members_export_as_csv()
    {
        var category = Some.Id("shoes");
        var segment = await CreateReadyAsync(ViewedTwice(category, "days", 30));
        var user = Some.Id("user");
        await nudge.SendBatchAsync(NudgeApi.ServerKey,
            Some.Identify(user, traits: new JsonObject { ["email"] = $"{user}@example.com" }), Viewed(user, category), Viewed(user, category));
        var profileId = await ProfileIdAsync(user);
        await MembershipAsync(profileId, segment, member: true);
        using var admin = nudge.Admin();

        var csv = await admin.GetStringAsync($"/api/segments/{segment}/members.csv", Ct);

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("profile_id,email,phone,user_id,name,entered_at", lines[0]);
        Assert.StartsWith($"{profileId},{user}@example.com,,{user},", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_segment_is_gone()
    {
        var segment = await CreateReadyAsync(ViewedTwice(Some.Id("shoes"), "days", 30));
        using var admin = nudge.Admin();

        var deleted = await admin.DeleteAsync($"/api/segments/{segment}", Ct);
        var after = await admin.GetAsync($"/api/segments/{segment}", Ct);

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound), (deleted.StatusCode, after.StatusCode));
    }

    [Fact]
    public async Task The_definition_schema_is_published()
    {
        using var admin = nudge.Admin();

        var schema = await admin.GetFromJsonAsync<JsonObject>("/api/segments/schema", Ct);

        Assert.Contains("2020-12", (string?)schema!["$schema"], StringComparison.Ordinal);
    }

    private static JsonObject ViewedTwice(string category, string unit, int last) => new()
    {
        ["name"] = "Viewed twice",
        ["condition"] = new JsonObject
        {
            ["event"] = "Product Viewed",
            ["where"] = new JsonArray(new JsonObject { ["property"] = "category", ["operator"] = "equals", ["value"] = category }),
            ["count"] = new JsonObject { ["atLeast"] = 2 },
            ["window"] = new JsonObject { ["last"] = last, ["unit"] = unit },
        },
    };

    private static JsonObject Viewed(string user, string category, DateTimeOffset? at = null)
    {
        var message = Some.Track("Product Viewed", userId: user, properties: new JsonObject { ["category"] = category, ["product_id"] = "sku-1" });
        if (at is { } time)
            message["timestamp"] = time.ToString("O", CultureInfo.InvariantCulture);
        return message;
    }

    private async Task<string> CreateReadyAsync(JsonObject definition)
    {
        using var admin = nudge.Admin();
        var response = await admin.PostAsJsonAsync("/api/segments", definition, Ct);
        var created = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, created?.ToJsonString());
        var id = (string)created!["id"]!;
        var segment = await Eventually.ReadUntilAsync(
            ct => admin.GetFromJsonAsync<JsonObject>($"/api/segments/{id}", ct), s => (string?)s!["status"] == "ready", Ct);
        Assert.Equal("ready", (string?)segment!["status"]);
        return id;
    }

    private async Task<string> ProfileIdAsync(string user) => (string)(await nudge.WaitForProfileAsync(user, _ => true))["id"]!;

    private async Task<JsonObject> MembershipAsync(string profileId, string segmentId, bool member)
    {
        using var admin = nudge.Admin();
        var segments = await Eventually.ReadUntilAsync(
            ct => admin.GetFromJsonAsync<JsonArray>($"/api/profiles/{profileId}/segments", ct),
            rows => rows!.Any(r => (string?)r!["segmentId"] == segmentId && (bool?)r["member"] == member), Ct);
        return segments!.Single(r => (string?)r!["segmentId"] == segmentId)!.AsObject();
    }

    private async Task WaitForTimelineAsync(string profileId, string eventName)
    {
        var events = await Eventually.ReadUntilAsync(
            _ => nudge.TimelineAsync(profileId), events => events.Any(e => (string?)e!["name"] == eventName), Ct);
        Assert.Contains(events, e => (string?)e!["name"] == eventName);
    }

    private async Task<long> CountAsync(string segmentId)
    {
        using var admin = nudge.Admin();
        return (long)(await admin.GetFromJsonAsync<JsonObject>($"/api/segments/{segmentId}/count", Ct))!["count"]!;
    }
}
