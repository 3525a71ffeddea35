using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Imports;

public sealed class HistoryImportApiTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_shop_export_is_imported_with_a_mapping_and_its_bad_rows_are_reported_by_line()
    {
        var (ada, bob, o) = (Some.Id("ada") + "@example.com", Some.Id("bob") + "@example.com", Some.Id("o"));
        var csv =
            "Name,E-Mail,Created at,Total,Currency,Lineitem name,Lineitem price,Lineitem quantity\n" +
            $"#{o}-1,{ada},2023-03-05 14:22:10 +0100,59.90,EUR,Shoe,29.95,2\n" +
            $"#{o}-1,{ada},2023-03-05 14:22:10 +0100,,,Sock,0,1\n" +
            $"#{o}-2,not-an-address,2023-04-01T10:00:00Z,10,EUR,,,\n" +
            $"#{o}-3,{bob},,10,EUR,,,\n" +
            $"#{o}-4,{ada},2024-01-10T10:00:00Z,20.5,eur,Hat,20.5,1\n" +
            $"#{o}-5,{bob},2024-02-01T08:00:00Z,abc,EUR,,,\n";
        var mapping = """{"order_id": "Name", "email": "E-Mail", "timestamp": "Created at", "product_name": "Lineitem name", "price": "Lineitem price", "quantity": "Lineitem quantity"}""";

        var import = await Imports.RunAsync(nudge, "orders", "orders_export.csv", csv, mapping);

        Assert.Equal(("completed", 1.0, 2L, 3L), ((string?)import["status"], (double)import["progress"]!, (long)import["imported"]!, (long)import["failed"]!));
        var errors = import["errors"]!.AsArray().Select(e => ((long)e!["line"]!, (string)e["field"]!)).ToList();
        Assert.Equal([(4L, "email"), (5L, "timestamp"), (7L, "total")], errors);
        var profile = await nudge.WaitForProfileAsync(ada, p => (int)p["computed"]!["orderCount"]! == 2);
        Assert.Equal(80.40m, (decimal)profile["computed"]!["totalRevenue"]!);
        Assert.Equal(DateTimeOffset.Parse("2024-01-10T10:00:00Z", CultureInfo.InvariantCulture),
            DateTimeOffset.Parse((string)profile["computed"]!["lastOrderDate"]!, CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeOffset.Parse("2023-03-05T13:22:10Z", CultureInfo.InvariantCulture),
            DateTimeOffset.Parse((string)profile["computed"]!["firstOrderDate"]!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Imported_orders_stand_on_the_timeline_at_their_original_time_with_their_products()
    {
        var email = Some.Id("timeline") + "@example.com";
        var ndjson =
            $$"""{"order_id":"{{Some.Id("t")}}-1","email":"{{email}}","timestamp":"2022-11-25T09:30:00Z","revenue":120,"currency":"EUR","products":[{"product_id":"p1","name":"Coat","price":120,"quantity":1}]}""" + "\n" +
            "\n" +
            $$"""{"order_id":"{{Some.Id("t")}}-2","email":"{{email}}","timestamp":1700000000,"revenue":30}""" + "\n";

        var import = await Imports.RunAsync(nudge, "orders", "orders.ndjson", ndjson);

        Assert.Equal((2L, 0L), ((long)import["imported"]!, (long)import["failed"]!));
        var profile = await nudge.WaitForProfileAsync(email, p => (int)p["computed"]!["orderCount"]! == 2);
        var timeline = await nudge.TimelineAsync((string)profile["id"]!);
        var orders = timeline.Where(e => (string?)e!["name"] == "Order Completed")
            .Select(e => DateTimeOffset.Parse((string)e!["timestamp"]!, CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal([DateTimeOffset.FromUnixTimeSeconds(1700000000), DateTimeOffset.Parse("2022-11-25T09:30:00Z", CultureInfo.InvariantCulture)],
            orders.OrderDescending().ToList());
        var coat = timeline.Single(e => (string?)e!["message"]?["properties"]?["revenue"]?.ToString() == "120");
        Assert.Equal("Coat", (string?)coat!["message"]!["properties"]!["products"]![0]!["name"]);
    }

    [Fact]
    public async Task Customers_become_profiles_with_their_traits_and_sign_up_date()
    {
        var email = Some.Id("cust") + "@example.com";
        var csv = "Email,First Name,Last Name,Phone,created_at,tier\n" +
                  $"{email},Ada,Lovelace,+49 30 901820,2021-06-01T00:00:00Z,gold\n" +
                  ",Nobody,,,,\n";

        var import = await Imports.RunAsync(nudge, "customers", "customers.csv", csv);

        Assert.Equal((1L, 1L), ((long)import["imported"]!, (long)import["failed"]!));
        Assert.Equal((3L, "email"), ((long)import["errors"]![0]!["line"]!, (string?)import["errors"]![0]!["field"]));
        var profile = await nudge.WaitForProfileAsync(email, p => p["traits"]?["tier"] is not null);
        Assert.Equal(("Ada", "Lovelace", "gold", "+4930901820"), ((string?)profile["traits"]!["first_name"], (string?)profile["traits"]!["last_name"],
            (string?)profile["traits"]!["tier"], (string?)profile["traits"]!["phone"]));
        Assert.Equal(DateTimeOffset.Parse("2021-06-01T00:00:00Z", CultureInfo.InvariantCulture),
            DateTimeOffset.Parse((string)profile["computed"]!["firstSeen"]!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Importing_the_same_file_again_changes_nothing()
    {
        var email = Some.Id("again") + "@example.com";
        var csv = $"order_id,email,timestamp,revenue\n{Some.Id("a")}-1,{email},2023-01-01T10:00:00Z,10\n{Some.Id("a")}-2,{email},2023-02-01T10:00:00Z,15\n";
        var first = await Imports.RunAsync(nudge, "orders", "orders.csv", csv);
        var profile = await nudge.WaitForProfileAsync(email, p => (int)p["computed"]!["orderCount"]! == 2);
        var before = await nudge.TimelineAsync((string)profile["id"]!);

        var response = await Imports.PostAsync(nudge, "orders", "orders-copy.csv", csv);
        var again = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(((string?)first["id"], "completed", 2L), ((string?)again!["id"], (string?)again["status"], (long)again["imported"]!));
        Assert.Equal(before.Count, (await nudge.TimelineAsync((string)profile["id"]!)).Count);
    }

    [Fact]
    public async Task An_overlapping_file_skips_the_orders_already_imported()
    {
        var email = Some.Id("overlap") + "@example.com";
        var order = Some.Id("ov");
        await Imports.RunAsync(nudge, "orders", "january.csv", $"order_id,email,timestamp,revenue\n{order}-1,{email},2023-01-01T10:00:00Z,10\n");

        var second = await Imports.RunAsync(nudge, "orders", "q1.csv",
            $"order_id,email,timestamp,revenue\n{order}-1,{email},2023-01-01T10:00:00Z,10\n{order}-2,{email},2023-03-01T10:00:00Z,5\n");

        Assert.Equal((1L, 1L), ((long)second["imported"]!, (long)second["skipped"]!));
        var profile = await nudge.WaitForProfileAsync(email, p => (int)p["computed"]!["orderCount"]! == 2);
        Assert.Equal(2, (await nudge.TimelineAsync((string)profile["id"]!)).Count(e => (string?)e!["name"] == "Order Completed"));
    }

    [Fact]
    public async Task An_imported_order_starts_no_flow_but_a_new_order_does()
    {
        var user = Some.Id("flows");
        var email = user + "@example.com";
        var flow = await CreateLiveFlowAsync();
        // An hour old: recent enough for any age rule, so only the import mark keeps the flow from starting.
        var recent = DateTimeOffset.UtcNow.AddHours(-1).ToString("O", CultureInfo.InvariantCulture);
        await Imports.RunAsync(nudge, "orders", "recent.csv", $"order_id,user_id,email,timestamp,revenue\n{Some.Id("f")}-1,{user},{email},{recent},10\n");
        var profile = await nudge.WaitForProfileAsync(email, p => (int)p["computed"]!["orderCount"]! == 1);

        await nudge.SendBatchAsync(NudgeApi.ServerKey, new JsonObject
        {
            ["type"] = "track", ["event"] = "Order Completed", ["messageId"] = Some.Id("live"), ["userId"] = user,
            ["context"] = new JsonObject { ["traits"] = new JsonObject { ["email"] = email } },
            ["properties"] = new JsonObject { ["order_id"] = Some.Id("f") + "-2", ["revenue"] = 20 },
        });

        using var admin = nudge.Admin();
        var runs = (await Eventually.ReadUntilAsync(
            ct => admin.GetFromJsonAsync<JsonArray>($"/api/profiles/{profile["id"]}/runs", ct), r => r!.Count > 0, Ct))!;
        var run = Assert.Single(runs, r => (string?)r!["flowId"] == flow);
        Assert.Contains("-2", (await admin.GetFromJsonAsync<JsonObject>($"/api/runs/{run!["id"]}", Ct))!.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("refunds", "order_id,email,timestamp\n1,a@example.com,2023-01-01\n", null, "kind")]
    [InlineData("orders", "email,timestamp\na@example.com,2023-01-01\n", null, "header")]
    [InlineData("orders", "Name,email,timestamp\n1,a@example.com,2023-01-01\n", """{"order_id": "Order"}""", "mapping")]
    [InlineData("orders", "Name,email,timestamp\n1,a@example.com,2023-01-01\n", """{"order": "Name"}""", "mapping.order")]
    [InlineData("orders", "Name,email,timestamp\n1,a@example.com,2023-01-01\n", "order_id=Name", "mapping")]
    [InlineData("orders", "", null, "file")]
    public async Task A_file_that_cannot_be_imported_is_refused_naming_the_field(string kind, string content, string? mapping, string field)
    {
        var response = await Imports.PostAsync(nudge, kind, "file.csv", content, mapping);

        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem!["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task Imports_need_the_admin_key()
    {
        using var anonymous = nudge.CreateClient();

        var response = await anonymous.GetAsync("/api/imports", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<string> CreateLiveFlowAsync()
    {
        using var admin = nudge.Admin();
        var created = await admin.PostAsJsonAsync("/api/flows", new JsonObject
        {
            ["name"] = "Thank you",
            ["trigger"] = new JsonObject { ["event"] = "Order Completed" },
            ["start"] = "thanks",
            ["steps"] = new JsonObject { ["thanks"] = new JsonObject { ["type"] = "send", ["channel"] = "email", ["template"] = "tpl_thanks" } },
        }, Ct);
        var body = await created.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, body!.ToJsonString());
        var id = (string)body["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/flows/{id}/activate", null, Ct)).StatusCode);
        return id;
    }
}
