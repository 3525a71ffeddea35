using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Lists;

public sealed class ListsApiTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_list_is_created_read_edited_and_deleted()
    {
        using var admin = nudge.Admin();
        var id = await nudge.CreateListAsync("News", doubleOptIn: true, "https://shop.example/thanks");

        var read = await admin.GetFromJsonAsync<JsonObject>($"/api/lists/{id}", Ct);
        var edited = await admin.PutAsJsonAsync($"/api/lists/{id}", new JsonObject { ["name"] = "Weekly news", ["description"] = "Every Friday" }, Ct);
        var listed = await admin.GetFromJsonAsync<JsonArray>("/api/lists", Ct);
        var deleted = await admin.DeleteAsync($"/api/lists/{id}", Ct);
        var after = await admin.GetAsync($"/api/lists/{id}", Ct);

        Assert.Equal(("News", true, "https://shop.example/thanks"), ((string?)read!["name"], (bool?)read["doubleOptIn"], (string?)read["allowedRedirects"]![0]));
        Assert.EndsWith($"/lists/{id}/signup", (string?)read["signupUrl"], StringComparison.Ordinal);
        var changed = await edited.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(("Weekly news", "Every Friday", false), ((string?)changed!["name"], (string?)changed["description"], (bool?)changed["doubleOptIn"]));
        Assert.Contains(listed!, l => (string?)l!["id"] == id);
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound), (deleted.StatusCode, after.StatusCode));
    }

    [Fact]
    public async Task An_invalid_list_is_refused_naming_every_wrong_field()
    {
        using var admin = nudge.Admin();

        var response = await admin.PostAsJsonAsync("/api/lists", new JsonObject
        {
            ["name"] = "  ",
            ["doubleOptIn"] = "yes",
            ["allowedRedirects"] = new JsonArray("javascript:alert(1)", "https://shop.example/ok"),
            ["colour"] = "red",
        }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject();
        Assert.Equal(["allowedRedirects[0]", "colour", "doubleOptIn", "name"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_unknown_list_is_not_found()
    {
        using var admin = nudge.Admin();

        var response = await admin.GetAsync("/api/lists/lst_nothing", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("id", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["field"]);
    }

    [Fact]
    public async Task An_unknown_email_added_by_an_admin_becomes_a_new_member_with_a_List_Joined_event()
    {
        var list = await nudge.CreateListAsync();
        var email = $"{Some.Id("new")}@example.com";

        var added = await nudge.AddMemberAsync(list, new JsonObject { ["email"] = email.ToUpperInvariant() });

        Assert.Equal("joined", (string?)added["status"]);
        var profileId = (string)added["profileId"]!;
        var members = await nudge.MembersUntilAsync(list, m => m.Count == 1);
        Assert.Equal((profileId, email), ((string?)members[0]["profileId"], (string?)members[0]["email"]));
        Assert.Equal(1, await nudge.CountAsync(list));
        var joined = (await nudge.TimelineWithAsync(profileId, "List Joined")).Named("List Joined").Single();
        Assert.Equal(("server", list, "admin", email), ((string?)joined["source"], (string?)joined["message"]!["properties"]!["list_id"],
            (string?)joined["message"]!["properties"]!["source"], (string?)joined["message"]!["context"]!["traits"]!["email"]));
    }

    [Fact]
    public async Task A_known_customer_is_added_by_user_id_to_their_own_profile()
    {
        var list = await nudge.CreateListAsync();
        var user = Some.Id("user");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: new JsonObject { ["first_name"] = "Ada" }));
        var profileId = (string)(await nudge.WaitForProfileAsync(user, _ => true))["id"]!;

        var added = await nudge.AddMemberAsync(list, new JsonObject { ["userId"] = user });

        Assert.Equal(profileId, (string?)added["profileId"]);
        await nudge.MembersUntilAsync(list, m => m.Any(x => (string?)x["profileId"] == profileId));
    }

    [Fact]
    public async Task Adding_a_member_again_logs_nothing_and_says_so()
    {
        var list = await nudge.CreateListAsync();
        var profileId = (string)(await nudge.AddMemberAsync(list, new JsonObject { ["email"] = $"{Some.Id("again")}@example.com" }))["profileId"]!;
        await nudge.MembersUntilAsync(list, m => m.Count == 1);

        var again = await nudge.AddMemberAsync(list, new JsonObject { ["profileId"] = profileId });

        Assert.Equal("alreadyMember", (string?)again["status"]);
        Assert.Single((await nudge.TimelineAsync(profileId)).Named("List Joined"));
    }

    [Fact]
    public async Task A_removed_member_leaves_the_list_with_a_List_Left_event()
    {
        var list = await nudge.CreateListAsync();
        var profileId = (string)(await nudge.AddMemberAsync(list, new JsonObject { ["email"] = $"{Some.Id("leaving")}@example.com" }))["profileId"]!;
        await nudge.MembersUntilAsync(list, m => m.Count == 1);
        using var admin = nudge.Admin();

        var removed = await admin.DeleteAsync($"/api/lists/{list}/members/{profileId}", Ct);

        Assert.Equal(HttpStatusCode.Accepted, removed.StatusCode);
        Assert.Empty(await nudge.MembersUntilAsync(list, m => m.Count == 0));
        await nudge.TimelineWithAsync(profileId, "List Left");
        var notAMember = await admin.DeleteAsync($"/api/lists/{list}/members/{profileId}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, notAMember.StatusCode);
    }

    [Fact]
    public async Task Members_come_in_pages_in_profile_id_order()
    {
        var list = await nudge.CreateListAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add((string)(await nudge.AddMemberAsync(list, new JsonObject { ["email"] = $"{Some.Id("page")}@example.com" }))["profileId"]!);
        await nudge.MembersUntilAsync(list, m => m.Count == 3);
        using var admin = nudge.Admin();

        var first = await admin.GetFromJsonAsync<JsonObject>($"/api/lists/{list}/members?limit=2", Ct);
        var second = await admin.GetFromJsonAsync<JsonObject>($"/api/lists/{list}/members?limit=2&after={first!["next"]}", Ct);

        var paged = first["members"]!.AsArray().Concat(second!["members"]!.AsArray()).Select(m => (string)m!["profileId"]!);
        Assert.Equal(ids.Order(StringComparer.Ordinal), paged);
        Assert.Null((string?)second["next"]);
    }

    [Theory]
    [InlineData("""{"email":"not an address"}""", "email")]
    [InlineData("""{"email":"ada@example.com","userId":"ada"}""", "userId")]
    [InlineData("""{}""", "body")]
    [InlineData("""{"mail":"ada@example.com"}""", "mail")]
    [InlineData("""{"userId":42}""", "userId")]
    public async Task A_member_named_wrongly_is_refused_with_the_field(string body, string field)
    {
        var list = await nudge.CreateListAsync();
        using var admin = nudge.Admin();

        var response = await admin.PostAsync($"/api/lists/{list}/members", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().ContainsKey(field));
    }

    [Fact]
    public async Task An_unknown_profile_id_is_not_found_naming_the_field()
    {
        var list = await nudge.CreateListAsync();
        using var admin = nudge.Admin();

        var response = await admin.PostAsJsonAsync($"/api/lists/{list}/members", new JsonObject { ["profileId"] = "prf_nobody" }, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("profileId", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["field"]);
    }

    [Fact]
    public async Task A_merge_moves_the_membership_to_the_surviving_profile()
    {
        var list = await nudge.CreateListAsync();
        var user = Some.Id("merged");
        var email = $"{Some.Id("mail")}@example.com";
        var byEmail = (string)(await nudge.AddMemberAsync(list, new JsonObject { ["email"] = email }))["profileId"]!;
        await nudge.MembersUntilAsync(list, m => m.Count == 1);
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user));
        var byUserId = (string)(await nudge.WaitForProfileAsync(user, _ => true))["id"]!;

        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: new JsonObject { ["email"] = email }));

        var members = await nudge.MembersUntilAsync(list, m => m.Count == 1 && (string?)m[0]["profileId"] == byUserId);
        Assert.Equal((byUserId, email), ((string?)members.Single()["profileId"], (string?)members.Single()["email"]));
        Assert.NotEqual(byEmail, byUserId);
    }

    [Fact]
    public async Task A_segment_with_a_list_condition_gains_a_new_member()
    {
        var list = await nudge.CreateListAsync();
        var segment = await CreateReadySegmentAsync(list);

        var profileId = (string)(await nudge.AddMemberAsync(list, new JsonObject { ["email"] = $"{Some.Id("seg")}@example.com" }))["profileId"]!;

        await SegmentMembershipAsync(profileId, segment);
        await nudge.TimelineWithAsync(profileId, "Segment Entered");
    }

    [Fact]
    public async Task A_segment_created_later_is_built_with_the_members_already_on_the_list()
    {
        var list = await nudge.CreateListAsync();
        var profileId = (string)(await nudge.AddMemberAsync(list, new JsonObject { ["email"] = $"{Some.Id("early")}@example.com" }))["profileId"]!;
        await nudge.MembersUntilAsync(list, m => m.Count == 1);

        var segment = await CreateReadySegmentAsync(list);

        await SegmentMembershipAsync(profileId, segment);
    }

    [Fact]
    public async Task A_list_a_segment_uses_cannot_be_deleted()
    {
        var list = await nudge.CreateListAsync();
        await CreateReadySegmentAsync(list);
        using var admin = nudge.Admin();

        var response = await admin.DeleteAsync($"/api/lists/{list}", Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Deleting_a_list_takes_every_member_off_it()
    {
        var list = await nudge.CreateListAsync();
        var profileId = (string)(await nudge.AddMemberAsync(list, new JsonObject { ["email"] = $"{Some.Id("gone")}@example.com" }))["profileId"]!;
        await nudge.MembersUntilAsync(list, m => m.Count == 1);
        using var admin = nudge.Admin();

        await admin.DeleteAsync($"/api/lists/{list}", Ct);

        var left = (await nudge.TimelineWithAsync(profileId, "List Left")).Named("List Left").Single();
        Assert.Equal(("nudge", "list deleted"), ((string?)left["source"], (string?)left["message"]!["properties"]!["source"]));
    }

    [Fact]
    public async Task A_profile_shows_the_lists_it_is_on()
    {
        var list = await nudge.CreateListAsync("Profile lists");
        var profileId = (string)(await nudge.AddMemberAsync(list, new JsonObject { ["email"] = $"{Some.Id("mine")}@example.com" }))["profileId"]!;
        using var admin = nudge.Admin();

        var lists = await Eventually.ReadUntilAsync(
            ct => admin.GetOrNullAsync<JsonArray>($"/api/profiles/{profileId}/lists", ct), l => l?.Count == 1, Ct);

        Assert.Equal((list, "Profile lists"), ((string?)lists![0]!["listId"], (string?)lists[0]!["name"]));
    }

    [Fact]
    public async Task Members_page_size_out_of_range_is_refused_naming_limit()
    {
        var list = await nudge.CreateListAsync();
        using var admin = nudge.Admin();

        var response = await admin.GetAsync($"/api/lists/{list}/members?limit=0", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("limit", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["field"]);
    }

    [Fact]
    public async Task The_form_snippet_posts_to_the_signup_endpoint_with_a_hidden_honeypot()
    {
        var list = await nudge.CreateListAsync("Snippet", doubleOptIn: false, "https://shop.example/thanks");
        using var admin = nudge.Admin();

        var html = await admin.GetStringAsync($"/api/lists/{list}/form?redirect={Uri.EscapeDataString("https://shop.example/thanks")}", Ct);
        var refused = await admin.GetAsync($"/api/lists/{list}/form?redirect={Uri.EscapeDataString("https://evil.example/")}", Ct);

        Assert.Contains($"<form method=\"post\" action=\"http://localhost/lists/{list}/signup\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"website\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-hidden=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"redirect\" value=\"https://shop.example/thanks\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    private async Task<string> CreateReadySegmentAsync(string listId)
    {
        using var admin = nudge.Admin();
        var response = await admin.PostAsJsonAsync("/api/segments",
            new JsonObject { ["name"] = "On the list", ["condition"] = new JsonObject { ["list"] = listId } }, Ct);
        var created = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, created?.ToJsonString());
        var id = (string)created!["id"]!;
        var segment = await Eventually.ReadUntilAsync(
            ct => admin.GetFromJsonAsync<JsonObject>($"/api/segments/{id}", ct), s => (string?)s!["status"] == "ready", Ct);
        Assert.Equal("ready", (string?)segment!["status"]);
        return id;
    }

    private async Task SegmentMembershipAsync(string profileId, string segmentId)
    {
        using var admin = nudge.Admin();
        var segments = await Eventually.ReadUntilAsync(
            ct => admin.GetOrNullAsync<JsonArray>($"/api/profiles/{profileId}/segments", ct),
            rows => rows?.Any(r => (string?)r!["segmentId"] == segmentId && (bool?)r["member"] == true) == true, Ct);
        Assert.Contains(segments!, r => (string?)r!["segmentId"] == segmentId && (bool?)r["member"] == true);
    }
}
