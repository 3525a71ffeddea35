using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Lists;

public sealed class ListImportTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Good_rows_are_imported_and_bad_rows_are_reported_with_their_line_and_field()
    {
        var list = await nudge.CreateListAsync("Imported");
        var (ada, bob) = (Some.Id("ada"), Some.Id("bob"));
        var csv =
            "Email,First Name,last_name,phone,user_id,shoe_size\n" +
            $"{ada}@Example.com,Ada,Lovelace,+49 30 901820,,38\n" +
            "not-an-address,Mallory,,,,\n" +
            $"{bob}@example.com,Bob,,12,,\n" +
            ",Nobody,,,,\n" +
            $",Carol,,,{ada}-user,\n";

        var result = await ImportAsync(list, csv);

        Assert.Equal((2, 0), ((int)result["imported"]!, (int)result["skipped"]!));
        var errors = result["errors"]!.AsArray().Select(e => ((long)e!["line"]!, (string)e["field"]!)).ToList();
        Assert.Equal([(3L, "email"), (4L, "phone"), (5L, "email")], errors);
        var members = await nudge.MembersUntilAsync(list, m => m.Count == 2);
        Assert.Contains(members, m => (string?)m["email"] == $"{ada}@example.com");
        var profile = await nudge.WaitForProfileAsync($"{ada}@example.com", p => p["traits"]?["shoe_size"] is not null);
        Assert.Equal(("Ada", "Lovelace", "38", "+4930901820"), ((string?)profile["traits"]!["first_name"], (string?)profile["traits"]!["last_name"],
            (string?)profile["traits"]!["shoe_size"], (string?)profile["traits"]!["phone"]));
    }

    [Fact]
    public async Task Running_the_same_file_again_logs_nothing_new()
    {
        var list = await nudge.CreateListAsync("Twice");
        var user = Some.Id("twice");
        var csv = $"email,first_name\n{user}@example.com,Ada\n{user}-2@example.com,\n";
        await ImportAsync(list, csv);
        var profileId = (string)(await nudge.MembersUntilAsync(list, m => m.Count == 2)).Single(m => (string?)m["email"] == $"{user}@example.com")["profileId"]!;
        var before = await nudge.TimelineAsync(profileId);

        var again = await ImportAsync(list, csv);

        Assert.Equal((0, 2, 0), ((int)again["imported"]!, (int)again["skipped"]!, again["errors"]!.AsArray().Count));
        Assert.Equal(before.Count, (await nudge.TimelineAsync(profileId)).Count);
    }

    [Fact]
    public async Task Running_it_again_at_once_is_caught_by_the_message_ids()
    {
        var list = await nudge.CreateListAsync("At once");
        var csv = $"email\n{Some.Id("fast")}@example.com\n";

        var first = await ImportAsync(list, csv);
        var second = await ImportAsync(list, csv);

        Assert.Equal((1, 0), ((int)first["imported"]!, (int)second["imported"]!));
        Assert.Equal(1, (int)second["skipped"]!);
    }

    [Fact]
    public async Task A_repeated_row_is_skipped()
    {
        var list = await nudge.CreateListAsync("Repeats");
        var email = $"{Some.Id("dup")}@example.com";

        var result = await ImportAsync(list, $"email\n{email}\n{email.ToUpperInvariant()}\n");

        Assert.Equal((1, 1), ((int)result["imported"]!, (int)result["skipped"]!));
    }

    [Fact]
    public async Task Semicolon_separated_files_and_uploaded_forms_are_read()
    {
        var list = await nudge.CreateListAsync("Excel");
        using var admin = nudge.Admin();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes($"\uFEFFemail;first_name\n{Some.Id("semi")}@example.com;Ada\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "customers.csv");

        var response = await admin.PostAsync($"/api/lists/{list}/import", form, Ct);

        var result = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.IsSuccessStatusCode, result?.ToJsonString());
        Assert.Equal(1, (int)result!["imported"]!);
    }

    [Theory]
    [InlineData("first_name,last_name\nAda,Lovelace\n", "header")]
    [InlineData("email,Email\nada@example.com,ada@example.com\n", "header")]
    [InlineData("", "file")]
    public async Task A_file_without_usable_columns_is_refused_naming_the_problem(string csv, string field)
    {
        var list = await nudge.CreateListAsync("Broken");
        using var admin = nudge.Admin();

        var response = await admin.PostAsync($"/api/lists/{list}/import", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().ContainsKey(field));
    }

    [Fact]
    public async Task A_row_with_more_fields_than_the_header_is_reported()
    {
        var list = await nudge.CreateListAsync("Ragged");

        var result = await ImportAsync(list, $"email,first_name\n{Some.Id("ragged")}@example.com,Ada,Lovelace\n");

        Assert.Equal((0, 2L, "row"), ((int)result["imported"]!, (long)result["errors"]![0]!["line"]!, (string?)result["errors"]![0]!["field"]));
    }

    private async Task<JsonObject> ImportAsync(string listId, string csv)
    {
        using var admin = nudge.Admin();
        var response = await admin.PostAsync($"/api/lists/{listId}/import", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);
        var result = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, result?.ToJsonString());
        return result!;
    }
}
