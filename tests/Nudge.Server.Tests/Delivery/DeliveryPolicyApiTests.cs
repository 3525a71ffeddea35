using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Delivery;

/// <summary>
/// <c>/api/delivery/policy</c>: a shop owner reads the workspace's settings, changes them, and gets every mistake named.
/// Only <see cref="The_settings_start_as_the_defaults_and_read_back_as_they_were_put"/> saves anything, so the tests
/// of this class may run in any order.
/// </summary>
public sealed class DeliveryPolicyApiTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Changed = """
        {
          "smartSending": { "email": "PT12H", "sms": { "days": 2 }, "push": false },
          "frequencyCaps": [ { "channel": "email", "max": 5, "window": "P1W" }, { "channel": "sms", "max": 2, "window": { "days": 30 } } ],
          "quietHours": { "push": { "start": "22:30", "end": "07:00" } },
          "fallbackTimeZone": "Europe/Berlin",
          "channelsWithoutOptIn": [],
          "quietHoursHoldTransactional": true
        }
        """;

    [Fact]
    public async Task The_settings_start_as_the_defaults_and_read_back_as_they_were_put()
    {
        using var admin = nudge.Admin();
        var defaults = await admin.GetFromJsonAsync<JsonObject>("/api/delivery/policy", Ct);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {
              "version": 0,
              "updatedAt": null,
              "smartSending": { "email": { "hours": 16 }, "sms": { "days": 1 }, "push": { "days": 1 } },
              "frequencyCaps": [ { "channel": "email", "max": 3, "window": { "days": 7 } } ],
              "quietHours": { "sms": { "start": "21:00", "end": "09:00" }, "push": { "start": "21:00", "end": "09:00" } },
              "fallbackTimeZone": "UTC",
              "channelsWithoutOptIn": [ "email" ],
              "quietHoursHoldTransactional": false
            }
            """), defaults), defaults!.ToJsonString());

        var put = await PutAsync(admin, WithVersion(Changed, 0));
        var saved = await put.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(put.StatusCode == HttpStatusCode.OK, saved!.ToJsonString());
        var read = await admin.GetFromJsonAsync<JsonObject>("/api/delivery/policy", Ct);

        Assert.True(JsonNode.DeepEquals(saved, read), $"{saved.ToJsonString()} vs {read!.ToJsonString()}");
        Assert.Equal(1, (int)read!["version"]!);
        Assert.NotNull((DateTimeOffset?)read["updatedAt"]);
        read.Remove("version");
        read.Remove("updatedAt");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {
              "smartSending": { "email": { "hours": 12 }, "sms": { "days": 2 } },
              "frequencyCaps": [ { "channel": "email", "max": 5, "window": { "days": 7 } }, { "channel": "sms", "max": 2, "window": { "days": 30 } } ],
              "quietHours": { "push": { "start": "22:30", "end": "07:00" } },
              "fallbackTimeZone": "Europe/Berlin",
              "channelsWithoutOptIn": [],
              "quietHoursHoldTransactional": true
            }
            """), read), read.ToJsonString());

        // A second editor who started from the defaults (version 0) does not silently undo the change.
        var stale = await PutAsync(admin, WithVersion(Changed.Replace("\"max\": 5", "\"max\": 9", StringComparison.Ordinal), 0));
        var problem = await stale.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("version", (string?)problem!["field"]);
        Assert.Equal(5, (int)(await admin.GetFromJsonAsync<JsonObject>("/api/delivery/policy", Ct))!["frequencyCaps"]![0]!["max"]!);
    }

    [Fact]
    public async Task Every_wrong_field_is_named_in_the_problem_and_nothing_is_saved()
    {
        using var admin = nudge.Admin();
        var before = await admin.GetFromJsonAsync<JsonObject>("/api/delivery/policy", Ct);
        var wrong = Changed
            .Replace("\"22:30\"", "\"10pm\"", StringComparison.Ordinal)
            .Replace("\"max\": 2", "\"max\": 0", StringComparison.Ordinal)
            .Replace("\"Europe/Berlin\"", "\"Europe/Atlantis\"", StringComparison.Ordinal)
            .Replace("\"PT12H\"", "\"1 day\"", StringComparison.Ordinal);

        var response = await PutAsync(admin, wrong);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["fallbackTimeZone", "frequencyCaps[1].max", "quietHours.push.start", "smartSending.email"],
            problem!["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("\"21:00\"", (string?)problem["errors"]!["quietHours.push.start"]![0], StringComparison.Ordinal);
        Assert.Contains("Europe/Atlantis", (string?)problem["errors"]!["fallbackTimeZone"]![0], StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(before, await admin.GetFromJsonAsync<JsonObject>("/api/delivery/policy", Ct)));
    }

    [Fact]
    public async Task A_missing_setting_an_unknown_setting_and_broken_json_are_named()
    {
        using var admin = nudge.Admin();

        var partial = await (await PutAsync(admin, """{ "quietHours": {}, "quiteHours": {} }""")).Content.ReadFromJsonAsync<JsonObject>(Ct);
        var broken = await PutAsync(admin, """{ "quietHours": { "sms": """);
        var brokenProblem = await broken.Content.ReadFromJsonAsync<JsonObject>(Ct);

        Assert.Contains("quiteHours", partial!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains("fallbackTimeZone", partial["errors"]!.AsObject().Select(e => e.Key));
        Assert.DoesNotContain("quietHours", partial["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal(["body"], brokenProblem!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.BadRequest, (await PutAsync(admin, WithVersion(Changed, -1))).StatusCode);
    }

    [Fact]
    public async Task Only_an_admin_key_reads_or_changes_the_settings()
    {
        using var client = nudge.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/delivery/policy", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PutAsync(client, Changed)).StatusCode);
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string json) =>
        client.PutAsync("/api/delivery/policy", new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    private static string WithVersion(string json, long version)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        document["version"] = version;
        return document.ToJsonString();
    }
}
