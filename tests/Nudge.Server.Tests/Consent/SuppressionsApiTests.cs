using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Consent;

public sealed class SuppressionsApiTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_address_is_suppressed_under_its_normalized_form_and_can_be_lifted()
    {
        var name = Some.Id("ada");
        using var admin = nudge.Admin();

        var added = await AddAsync(admin, "email", $"  {name.ToUpperInvariant()}@Example.COM ", "complaint");
        var found = await admin.GetAsync($"/api/suppressions/email/{name}@example.com", Ct);
        var lifted = await admin.DeleteAsync($"/api/suppressions/email/{name}@example.com", Ct);
        var after = await admin.GetAsync($"/api/suppressions/email/{name}@example.com", Ct);

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var view = await added.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(($"{name}@example.com", "complaint", "admin"), ((string?)view!["address"], (string?)view["reason"], (string?)view["source"]));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.NoContent, HttpStatusCode.NotFound), (found.StatusCode, lifted.StatusCode, after.StatusCode));
    }

    [Fact]
    public async Task Suppressing_an_address_again_keeps_the_first_reason()
    {
        var address = Some.Id("bob") + "@example.com";
        using var admin = nudge.Admin();
        await AddAsync(admin, "email", address, "hard_bounce");

        var again = await AddAsync(admin, "email", address, "manual");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("hard_bounce", (string?)(await again.Content.ReadFromJsonAsync<JsonObject>(Ct))!["reason"]);
    }

    [Fact]
    public async Task A_phone_number_is_stored_in_e164_with_the_workspaces_default_country()
    {
        using var admin = nudge.Admin();

        var added = await AddAsync(admin, "sms", "0151 2345 6789", null);

        Assert.Equal(("+4915123456789", "manual"), await AddressAndReasonAsync(added));
    }

    [Fact]
    public async Task An_invalid_suppression_names_the_fields_that_are_wrong()
    {
        using var admin = nudge.Admin();

        var unknownChannel = await AddAsync(admin, "fax", "+4915123456789", "manual");
        var badAddressAndReason = await AddAsync(admin, "email", "not an email", "bounced");

        Assert.Equal(["channel"], await ErrorFieldsAsync(unknownChannel));
        Assert.Equal(["address", "reason"], await ErrorFieldsAsync(badAddressAndReason));
    }

    [Fact]
    public async Task The_list_pages_through_one_channel_in_address_order()
    {
        var prefix = $"https://push.example.com/{Guid.NewGuid():N}/";
        using var admin = nudge.Admin();
        await AddAsync(admin, "push", prefix + "b", "hard_bounce");
        await AddAsync(admin, "push", prefix + "a", "hard_bounce");

        // Starting just before this test's endpoints leaves out whatever other tests added.
        var first = await admin.GetFromJsonAsync<JsonObject>($"/api/suppressions?channel=push&limit=1&after={Uri.EscapeDataString("push:" + prefix)}", Ct);
        var second = await admin.GetFromJsonAsync<JsonObject>(
            $"/api/suppressions?channel=push&limit=1&after={Uri.EscapeDataString((string)first!["next"]!)}", Ct);

        Assert.Equal(prefix + "a", (string?)first["suppressions"]![0]!["address"]);
        Assert.Equal(prefix + "b", (string?)second!["suppressions"]![0]!["address"]);
        Assert.Equal("push", (string?)second["suppressions"]![0]!["channel"]);
    }

    [Fact]
    public async Task A_push_endpoint_is_lifted_by_its_encoded_url()
    {
        var endpoint = "https://fcm.googleapis.com/fcm/send/" + Some.Id("device");
        using var admin = nudge.Admin();
        await AddAsync(admin, "push", endpoint, "hard_bounce");

        var lifted = await admin.DeleteAsync($"/api/suppressions/push/{Uri.EscapeDataString(endpoint)}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, lifted.StatusCode);
    }

    [Fact]
    public async Task A_csv_import_suppresses_the_valid_rows_and_reports_the_others_by_line()
    {
        var batch = Some.Id("import");
        var csv = $"""
            address,reason
            {batch}-1@example.com,hard_bounce
            not-an-email,manual
            "{batch}-2@example.com",bounced

            {batch}-3@example.com
            {batch}-1@example.com,complaint
            """;
        using var admin = nudge.Admin();

        var response = await admin.PostAsync("/api/suppressions/import?channel=email", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);

        var report = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal((2, 1), ((int)report!["added"]!, (int)report["alreadySuppressed"]!));
        Assert.Equal([(3, "address"), (4, "reason")], report["rejected"]!.AsArray().Select(r => ((int)r!["line"]!, (string?)r["field"])));
        using var imported = await admin.GetAsync($"/api/suppressions/email/{batch}-3@example.com", Ct);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
    }

    [Fact]
    public async Task An_import_needs_the_channel_its_addresses_belong_to()
    {
        using var admin = nudge.Admin();

        var response = await admin.PostAsync("/api/suppressions/import", new StringContent("a@example.com\n", Encoding.UTF8, "text/csv"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("channel", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["field"]);
    }

    [Theory]
    [InlineData(NudgeApi.BrowserKey)]
    [InlineData(NudgeApi.ServerKey)]
    public async Task Write_keys_can_neither_read_nor_change_the_suppression_list(string writeKey)
    {
        using var client = nudge.Admin(writeKey);

        var add = await AddAsync(client, "email", "victim@example.com", "manual");
        var remove = await client.DeleteAsync("/api/suppressions/email/victim@example.com", Ct);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (add.StatusCode, remove.StatusCode));
    }

    private static Task<HttpResponseMessage> AddAsync(HttpClient client, string channel, string address, string? reason)
    {
        var body = new JsonObject { ["channel"] = channel, ["address"] = address };
        if (reason is not null)
            body["reason"] = reason;
        return client.PostAsJsonAsync("/api/suppressions", body, Ct);
    }

    private static async Task<(string?, string?)> AddressAndReasonAsync(HttpResponseMessage response)
    {
        var view = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        return ((string?)view!["address"], (string?)view["reason"]);
    }

    private static async Task<IEnumerable<string>> ErrorFieldsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().Select(e => e.Key).Order().ToList();
    }
}
