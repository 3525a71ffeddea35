using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nudge.Server.Tests.Support;
using Nudge.Storage.Outbox;

namespace Nudge.Server.Tests.Flows;

public sealed class FlowsApiTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_trigger_event_starts_a_run_that_queues_its_first_message()
    {
        var checkout = Some.Id("Checkout Started");
        var flow = await CreateLiveAsync(Abandonment(checkout));
        var user = Some.Id("user");

        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: new JsonObject { ["email"] = $"{user}@example.com" }),
            Some.Track(checkout, userId: user, properties: new JsonObject { ["value"] = 80 }));

        var run = await WaitForRunAsync(await ProfileIdAsync(user), flow, r => (string?)r["step"] == "await");
        Assert.Equal("active", (string?)run["status"]);
        // Delivery takes it from there (this test's template does not exist, so it fails there, with that reason).
        var message = await OutboxAsync($"{run["id"]}:remind");
        Assert.Equal(("email", $"{user}@example.com", "tpl_cart"), (message!.Channel, message.Recipient, message.Flow!.TemplateId));
    }

    [Fact]
    public async Task An_event_that_fails_the_trigger_filter_starts_nothing()
    {
        var checkout = Some.Id("Checkout Started");
        var flow = await CreateLiveAsync(Abandonment(checkout));
        var user = Some.Id("user");

        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track(checkout, userId: user, properties: new JsonObject { ["value"] = 5 }));
        await nudge.WaitForProfileAsync(user, p => (long?)p["computed"]!["eventCount"] == 1);

        Assert.Empty(await RunsOfFlowAsync(flow));
    }

    [Fact]
    public async Task An_exit_event_ends_the_run_during_its_wait()
    {
        var checkout = Some.Id("Checkout Started");
        var flow = await CreateLiveAsync(Abandonment(checkout));
        var user = Some.Id("user");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track(checkout, userId: user, properties: new JsonObject { ["value"] = 80 }));
        var profileId = await ProfileIdAsync(user);
        await WaitForRunAsync(profileId, flow, r => (string?)r["step"] == "await");

        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.OrderCompleted(user, "ord-1", 80m));

        var run = await WaitForRunAsync(profileId, flow, r => (string?)r["status"] == "exited");
        Assert.Equal("exit event: Order Completed", (string?)run["endReason"]);
    }

    [Fact]
    public async Task A_wait_ends_through_the_timer_table_and_the_history_tells_the_path()
    {
        var signup = Some.Id("Signed Up");
        var flow = await CreateLiveAsync(new JsonObject
        {
            ["name"] = "Welcome",
            ["trigger"] = new JsonObject { ["event"] = signup },
            ["start"] = "pause",
            ["steps"] = new JsonObject
            {
                ["pause"] = new JsonObject { ["type"] = "wait", ["duration"] = new JsonObject { ["minutes"] = 0 }, ["next"] = "hello" },
                ["hello"] = new JsonObject { ["type"] = "send", ["channel"] = "email", ["template"] = "tpl_welcome" },
            },
        });
        var user = Some.Id("user");

        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track(signup, userId: user));

        var run = await WaitForRunAsync(await ProfileIdAsync(user), flow, r => (string?)r["status"] == "completed");
        using var admin = nudge.Admin();
        var detail = await admin.GetFromJsonAsync<JsonObject>($"/api/runs/{run["id"]}", Ct);
        Assert.Equal(["trigger", "pause", "pause", "hello"], detail!["history"]!.AsArray().Select(h => (string?)h!["stepId"]));
        Assert.NotNull(await OutboxAsync($"{run["id"]}:hello"));
    }

    [Fact]
    public async Task A_draft_flow_starts_no_runs()
    {
        var signup = Some.Id("Signed Up");
        using var admin = nudge.Admin();
        var created = await (await admin.PostAsJsonAsync("/api/flows", Immediate(signup), Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
        var user = Some.Id("user");

        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track(signup, userId: user));
        await nudge.WaitForProfileAsync(user, p => (long?)p["computed"]!["eventCount"] == 1);

        Assert.Equal("draft", (string?)created!["status"]);
        Assert.Empty(await RunsOfFlowAsync((string)created["id"]!));
    }

    [Fact]
    public async Task A_run_started_by_hand_can_be_cancelled()
    {
        var flow = await CreateLiveAsync(new JsonObject
        {
            ["name"] = "Nurture",
            ["trigger"] = new JsonObject { ["manual"] = true },
            ["start"] = "pause",
            ["steps"] = new JsonObject { ["pause"] = new JsonObject { ["type"] = "wait", ["duration"] = new JsonObject { ["days"] = 3 } } },
        });
        var user = Some.Id("user");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user));
        var profileId = await ProfileIdAsync(user);
        using var admin = nudge.Admin();

        var started = await admin.PostAsJsonAsync($"/api/flows/{flow}/runs", new { profileId, data = new { source = "crm" } }, Ct);
        var run = await started.Content.ReadFromJsonAsync<JsonObject>(Ct);
        var cancelled = await admin.PostAsync($"/api/runs/{run!["id"]}/cancel", null, Ct);

        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal("crm", (string?)run["trigger"]!["source"]);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (string?)(await cancelled.Content.ReadFromJsonAsync<JsonObject>(Ct))!["status"]);
    }

    [Fact]
    public async Task A_second_manual_start_while_a_run_is_active_is_refused()
    {
        var flow = await CreateLiveAsync(new JsonObject
        {
            ["name"] = "Nurture",
            ["trigger"] = new JsonObject { ["manual"] = true },
            ["reentry"] = new JsonObject { ["mode"] = "everyTime" },
            ["start"] = "pause",
            ["steps"] = new JsonObject { ["pause"] = new JsonObject { ["type"] = "wait", ["duration"] = new JsonObject { ["days"] = 3 } } },
        });
        var user = Some.Id("user");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user));
        var profileId = await ProfileIdAsync(user);
        using var admin = nudge.Admin();
        await admin.PostAsJsonAsync($"/api/flows/{flow}/runs", new { profileId }, Ct);

        var second = await admin.PostAsJsonAsync($"/api/flows/{flow}/runs", new { profileId }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("profileId", (string?)(await second.Content.ReadFromJsonAsync<JsonObject>(Ct))!["field"]);
    }

    [Fact]
    public async Task An_invalid_definition_is_refused_with_every_field_named()
    {
        using var admin = nudge.Admin();

        var response = await admin.PostAsJsonAsync("/api/flows", new JsonObject
        {
            ["name"] = "Broken",
            ["trigger"] = new JsonObject { ["event"] = "X" },
            ["start"] = "a",
            ["steps"] = new JsonObject
            {
                ["a"] = new JsonObject { ["type"] = "send", ["channel"] = "fax", ["template"] = "t", ["next"] = "b" },
                ["b"] = new JsonObject { ["type"] = "wait", ["duration"] = new JsonObject { ["weeks"] = 1 } },
            },
        }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject();
        Assert.Equal(["steps.a.channel", "steps.b.duration.weeks"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_step_naming_a_list_that_does_not_exist_is_refused()
    {
        using var admin = nudge.Admin();
        var flow = Immediate("Signed Up");
        flow["steps"]!["hello"]!["next"] = "join";
        flow["steps"]!["join"] = new JsonObject { ["type"] = "addToList", ["list"] = "lst_missing" };

        var response = await admin.PostAsJsonAsync("/api/flows", flow, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["steps.join.list"], (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task Editing_a_flow_that_has_run_needs_a_choice_about_the_runs_in_progress()
    {
        var signup = Some.Id("Signed Up");
        var flow = await CreateLiveAsync(Immediate(signup));
        using var admin = nudge.Admin();

        var withoutChoice = await admin.PutAsJsonAsync($"/api/flows/{flow}", Immediate(signup), Ct);
        var withChoice = await admin.PutAsJsonAsync($"/api/flows/{flow}?moveRuns=false", Immediate(signup), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, withoutChoice.StatusCode);
        Assert.Equal("moveRuns", (string?)(await withoutChoice.Content.ReadFromJsonAsync<JsonObject>(Ct))!["field"]);
        var edited = await withChoice.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal((2, 2), ((int)edited!["version"]!, (int)edited["liveVersion"]!));
    }

    [Fact]
    public async Task A_simulation_says_what_would_be_sent_and_sends_nothing()
    {
        var checkout = Some.Id("Checkout Started");
        var flow = await CreateLiveAsync(Abandonment(checkout));
        using var admin = nudge.Admin();

        var response = await admin.PostAsJsonAsync($"/api/flows/{flow}/simulate", new JsonObject
        {
            ["profile"] = new JsonObject { ["email"] = "sim@example.com" },
            ["trigger"] = new JsonObject { ["event"] = checkout, ["properties"] = new JsonObject { ["value"] = 50 } },
            ["start"] = "2026-12-01T09:00:00Z",
        }, Ct);

        var result = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var action = Assert.Single(result!["actions"]!.AsArray())!;
        Assert.Equal(("tpl_cart", "2026-12-01T09:00:00+00:00"), ((string?)action["templateId"], (string?)action["at"]));
        Assert.Empty(await RunsOfFlowAsync(flow));
    }

    [Fact]
    public async Task A_simulation_with_a_bad_script_names_the_field()
    {
        var flow = await CreateLiveAsync(Immediate(Some.Id("Signed Up")));
        using var admin = nudge.Admin();

        var response = await admin.PostAsJsonAsync($"/api/flows/{flow}/simulate", new JsonObject { ["events"] = new JsonArray(new JsonObject { ["event"] = "X" }) }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().ContainsKey("events[0].after"));
    }

    [Fact]
    public async Task A_scheduled_flow_starts_a_run_for_every_member_of_its_segment()
    {
        var plan = Some.Id("gold");
        using var admin = nudge.Admin();
        var segmentResponse = await admin.PostAsJsonAsync("/api/segments", new JsonObject
        {
            ["name"] = "Gold",
            ["condition"] = new JsonObject { ["property"] = "traits.plan", ["operator"] = "equals", ["value"] = plan },
        }, Ct);
        var segment = (string)(await segmentResponse.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!;
        var (ada, bob, eve) = (Some.Id("ada"), Some.Id("bob"), Some.Id("eve"));
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(ada, traits: new JsonObject { ["plan"] = plan }),
            Some.Identify(bob, traits: new JsonObject { ["plan"] = plan }), Some.Identify(eve, traits: new JsonObject { ["plan"] = "free" }));
        await Eventually.ReadUntilAsync(ct => admin.GetFromJsonAsync<JsonObject>($"/api/segments/{segment}/count", ct), c => (long?)c!["count"] == 2, Ct);

        var flow = await CreateLiveAsync(new JsonObject
        {
            ["name"] = "Every two seconds",
            ["trigger"] = new JsonObject { ["schedule"] = new JsonObject { ["cron"] = "*/2 * * * * *", ["timeZone"] = "Europe/Berlin", ["segment"] = segment } },
            ["start"] = "hello",
            ["steps"] = new JsonObject { ["hello"] = new JsonObject { ["type"] = "send", ["channel"] = "email", ["template"] = "tpl_daily" } },
        });

        var runs = await Eventually.ReadUntilAsync(ct => admin.GetFromJsonAsync<JsonArray>($"/api/flows/{flow}/runs", ct), r => r!.Count >= 2, Ct);
        var profiles = new[] { await ProfileIdAsync(ada), await ProfileIdAsync(bob) };
        Assert.Equal(profiles.Order(StringComparer.Ordinal), runs!.Select(r => (string)r!["profileId"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_birthday_flow_made_live_after_the_profile_exists_starts_the_run_at_the_moment()
    {
        var property = "birthday_" + Guid.NewGuid().ToString("N")[..8];
        // Far enough ahead that the flow is live and armed before the moment, even on a busy machine.
        var moment = DateTimeOffset.UtcNow.AddSeconds(10);
        var user = Some.Id("user");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: new JsonObject { [property] = moment.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }));
        var profileId = await ProfileIdAsync(user);

        var flow = await CreateLiveAsync(new JsonObject
        {
            ["name"] = "Birthday",
            ["trigger"] = new JsonObject { ["date"] = new JsonObject { ["property"] = "traits." + property, ["time"] = moment.ToString("HH:mm:ss", CultureInfo.InvariantCulture) } },
            ["reentry"] = new JsonObject { ["mode"] = "everyTime" },
            ["start"] = "wish",
            ["steps"] = new JsonObject { ["wish"] = new JsonObject { ["type"] = "send", ["channel"] = "email", ["template"] = "tpl_birthday" } },
        });

        var run = await WaitForRunAsync(profileId, flow, r => (string?)r["status"] == "completed");
        Assert.True(DateTimeOffset.Parse((string)run["startedAt"]!, CultureInfo.InvariantCulture) >= moment.AddSeconds(-1));
    }

    [Fact]
    public async Task Entering_a_segment_starts_the_flow_that_triggers_on_it()
    {
        var plan = Some.Id("vip");
        using var admin = nudge.Admin();
        var segmentResponse = await admin.PostAsJsonAsync("/api/segments", new JsonObject
        {
            ["name"] = "VIP",
            ["condition"] = new JsonObject { ["property"] = "traits.plan", ["operator"] = "equals", ["value"] = plan },
        }, Ct);
        var segment = (string)(await segmentResponse.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!;
        // People who match while the first build looks at them are members from the start, without an event.
        await Eventually.ReadUntilAsync(ct => admin.GetFromJsonAsync<JsonObject>($"/api/segments/{segment}", ct), s => (string?)s!["status"] == "ready", Ct);
        var flow = await CreateLiveAsync(Started(new JsonObject { ["segment"] = segment, ["on"] = "entered" }));
        var user = Some.Id("user");

        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: new JsonObject { ["plan"] = plan }));

        var run = await WaitForRunAsync(await ProfileIdAsync(user), flow, r => (string?)r["status"] == "completed");
        Assert.NotNull(await OutboxAsync($"{run["id"]}:hello"));
    }

    [Fact]
    public async Task Joining_a_list_starts_the_flow_that_triggers_on_it()
    {
        using var admin = nudge.Admin();
        var listResponse = await admin.PostAsJsonAsync("/api/lists", new JsonObject { ["name"] = Some.Id("Newsletter") }, Ct);
        var list = (string)(await listResponse.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!;
        var flow = await CreateLiveAsync(Started(new JsonObject { ["list"] = list }));
        var user = Some.Id("user");
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: new JsonObject { ["email"] = $"{user}@example.com" }));
        var profileId = await ProfileIdAsync(user);

        var joined = await admin.PostAsJsonAsync($"/api/lists/{list}/members", new JsonObject { ["profileId"] = profileId }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, joined.StatusCode);
        var run = await WaitForRunAsync(profileId, flow, r => (string?)r["status"] == "completed");
        Assert.NotNull(await OutboxAsync($"{run["id"]}:hello"));
    }

    [Fact]
    public async Task The_schema_is_published()
    {
        using var admin = nudge.Admin();

        var schema = await admin.GetFromJsonAsync<JsonObject>("/api/flows/schema", Ct);

        Assert.Equal("urn:nudge:schema:flow-definition", (string?)schema!["$id"]);
    }

    private static JsonObject Abandonment(string checkout) => new()
    {
        ["name"] = "Cart abandonment",
        ["trigger"] = new JsonObject
        {
            ["event"] = checkout,
            ["where"] = new JsonArray(new JsonObject { ["property"] = "value", ["operator"] = "greaterThan", ["value"] = 20 }),
        },
        ["exitOn"] = new JsonArray(new JsonObject { ["event"] = "Order Completed" }),
        ["start"] = "remind",
        ["steps"] = new JsonObject
        {
            ["remind"] = new JsonObject { ["type"] = "send", ["channel"] = "email", ["template"] = "tpl_cart", ["next"] = "await" },
            ["await"] = new JsonObject { ["type"] = "wait", ["duration"] = new JsonObject { ["days"] = 1 } },
        },
    };

    private static JsonObject Started(JsonObject trigger) => new()
    {
        ["name"] = "Started",
        ["trigger"] = trigger,
        ["start"] = "hello",
        ["steps"] = new JsonObject { ["hello"] = new JsonObject { ["type"] = "send", ["channel"] = "email", ["template"] = "tpl_hello" } },
    };

    private static JsonObject Immediate(string trigger) => new()
    {
        ["name"] = "Immediate",
        ["trigger"] = new JsonObject { ["event"] = trigger },
        ["start"] = "hello",
        ["steps"] = new JsonObject { ["hello"] = new JsonObject { ["type"] = "send", ["channel"] = "email", ["template"] = "tpl_hello" } },
    };

    private async Task<string> CreateLiveAsync(JsonObject definition)
    {
        using var admin = nudge.Admin();
        var created = await admin.PostAsJsonAsync("/api/flows", definition, Ct);
        var body = await created.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, body!.ToJsonString());
        var id = (string)body["id"]!;
        var activated = await admin.PostAsync($"/api/flows/{id}/activate", null, Ct);
        Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        return id;
    }

    private async Task<string> ProfileIdAsync(string user) => (string)(await nudge.WaitForProfileAsync(user, _ => true))["id"]!;

    private async Task<JsonArray> RunsOfFlowAsync(string flow)
    {
        using var admin = nudge.Admin();
        return (await admin.GetFromJsonAsync<JsonArray>($"/api/flows/{flow}/runs", Ct))!;
    }

    private async Task<JsonObject> WaitForRunAsync(string profileId, string flow, Func<JsonObject, bool> ready)
    {
        using var admin = nudge.Admin();
        var runs = await Eventually.ReadUntilAsync(
            ct => admin.GetFromJsonAsync<JsonArray>($"/api/profiles/{profileId}/runs", ct),
            rows => rows!.Any(r => (string?)r!["flowId"] == flow && ready(r.AsObject())), Ct);
        var run = runs!.FirstOrDefault(r => (string?)r!["flowId"] == flow && ready(r.AsObject()));
        Assert.True(run is not null, "no such run; runs: " + runs!.ToJsonString());
        return run!.AsObject();
    }

    private async Task<OutboxMessage?> OutboxAsync(string key) =>
        await nudge.Services.GetRequiredService<OutboxStore>().FindAsync(key, Ct);
}
