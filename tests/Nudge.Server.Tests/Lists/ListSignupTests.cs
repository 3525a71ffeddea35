using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Nudge.Server.Lists;
using Nudge.Server.Tests.Support;
using Nudge.Storage.Lists;
using Nudge.Storage.Outbox;

namespace Nudge.Server.Tests.Lists;

public sealed partial class ListSignupTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static int _clients;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Double_opt_in_joins_only_after_the_emailed_link_is_clicked()
    {
        var list = await nudge.CreateListAsync("Newsletter", doubleOptIn: true);
        var email = $"{Some.Id("doi")}@example.com";
        using var browser = Browser();

        var signup = await browser.PostAsync($"/lists/{list}/signup", Form(email, ("first_name", "Ada"), ("consent_text", "Yes, send me the newsletter.")), Ct);

        Assert.Equal(HttpStatusCode.OK, signup.StatusCode);
        Assert.Contains("check your inbox", await signup.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        var message = await ConfirmationEmailAsync(email);
        Assert.Contains("Newsletter", message.Subject, StringComparison.Ordinal);
        var link = LinkIn(message.BodyText!);
        Assert.Contains(link, message.BodyHtml, StringComparison.Ordinal);
        Assert.Empty(await nudge.MembersUntilAsync(list, _ => true));

        var confirmed = await browser.GetAsync(link, Ct);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var member = (await nudge.MembersUntilAsync(list, m => m.Count == 1)).Single();
        Assert.Equal(email, (string?)member["email"]);
        var timeline = await nudge.TimelineWithAsync((string)member["profileId"]!, "Consent Changed");
        var joined = timeline.Named("List Joined").Single()["message"]!["properties"]!;
        Assert.Equal("double opt-in", (string?)joined["source"]);
        var consent = timeline.Named("Consent Changed").Single();
        var evidence = consent["message"]!["properties"]!;
        Assert.Equal(("server", "email", "subscribed", "double opt-in", "Yes, send me the newsletter.", browser.Ip),
            ((string?)consent["source"], (string?)evidence["channel"], (string?)evidence["status"], (string?)evidence["source"], (string?)evidence["wording"], (string?)evidence["ip"]));
        Assert.NotNull((string?)evidence["confirmed_at"]);
        Assert.Equal("Ada", (string?)(await nudge.WaitForProfileAsync(email, p => p["traits"]?["first_name"] is not null))["traits"]!["first_name"]);
        Assert.Equal(ListSignupStatus.Confirmed, (await SignupOfAsync(message)).Status);
    }

    [Fact]
    public async Task A_tampered_confirmation_token_is_refused_and_changes_nothing()
    {
        var list = await nudge.CreateListAsync(doubleOptIn: true);
        var email = $"{Some.Id("tamper")}@example.com";
        using var browser = Browser();
        await browser.PostAsync($"/lists/{list}/signup", Form(email), Ct);
        var message = await ConfirmationEmailAsync(email);
        var link = LinkIn(message.BodyText!);
        var tampered = link[..^2] + (link[^2] == 'A' ? "B" : "A") + link[^1];

        var response = await browser.GetAsync(tampered, Ct);
        var otherSignup = await browser.GetAsync(link.Replace("/confirm/sgn_", "/confirm/sgn_0", StringComparison.Ordinal), Ct);
        var noToken = await browser.GetAsync(link[..link.IndexOf('?', StringComparison.Ordinal)], Ct);

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (response.StatusCode, otherSignup.StatusCode, noToken.StatusCode));
        Assert.Equal(ListSignupStatus.Pending, (await SignupOfAsync(message)).Status);
        Assert.Equal(0, await nudge.CountAsync(list));
    }

    [Fact]
    public async Task An_expired_confirmation_link_answers_gone_and_the_signup_expires()
    {
        var list = await nudge.CreateListAsync(doubleOptIn: true);
        var record = (await nudge.Services.GetRequiredService<ListStore>().FindAsync(list, Ct))!;
        var now = DateTimeOffset.UtcNow;
        var signup = new ListSignup("sgn_" + Guid.CreateVersion7().ToString("N"), record.WorkspaceId, list, $"{Some.Id("late")}@example.com",
            ListSignupStatus.Pending, now.AddDays(-3), now.AddDays(-1), null, "203.0.113.9", null, "Yes.", null, null);
        var signups = nudge.Services.GetRequiredService<ListSignups>();
        var link = await signups.LinkAsync(signup, "http://localhost", Ct);
        await nudge.Services.GetRequiredService<ListSignupStore>().CreateAsync(signup,
            OutboxMessage.Email(record.WorkspaceId, null, ListSignupStore.ConfirmationKey(signup.Id), signup.Email, "Confirm", link, link, signup.RequestedAt), Ct);
        using var browser = Browser();

        var response = await browser.GetAsync(link, Ct);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal(ListSignupStatus.Expired, (await nudge.Services.GetRequiredService<ListSignupStore>().GetAsync(signup.Id, Ct))!.Status);
        Assert.Equal(0, await nudge.CountAsync(list));
    }

    [Fact]
    public async Task Confirming_twice_is_harmless()
    {
        var list = await nudge.CreateListAsync(doubleOptIn: true);
        var email = $"{Some.Id("twice")}@example.com";
        using var browser = Browser();
        await browser.PostAsync($"/lists/{list}/signup", Form(email), Ct);
        var link = LinkIn((await ConfirmationEmailAsync(email)).BodyText!);
        await browser.GetAsync(link, Ct);

        var again = await browser.GetAsync(link, Ct);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var member = (await nudge.MembersUntilAsync(list, m => m.Count == 1)).Single();
        var timeline = await nudge.TimelineWithAsync((string)member["profileId"]!, "Consent Changed");
        Assert.Single(timeline.Named("List Joined"));
        Assert.Single(timeline.Named("Consent Changed"));
    }

    [Fact]
    public async Task A_second_signup_right_after_the_first_sends_no_second_email()
    {
        var list = await nudge.CreateListAsync(doubleOptIn: true);
        var email = $"{Some.Id("eager")}@example.com";
        using var browser = Browser();
        await browser.PostAsync($"/lists/{list}/signup", Form(email), Ct);

        var again = await browser.PostAsync($"/lists/{list}/signup", Form(email), Ct);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(await OutboxToAsync(email));
    }

    [Fact]
    public async Task Without_double_opt_in_a_json_signup_joins_at_once_with_its_consent()
    {
        var list = await nudge.CreateListAsync("Deals");
        var email = $"{Some.Id("single")}@example.com";
        using var browser = Browser();

        var response = await browser.PostAsJsonAsync($"/lists/{list}/signup",
            new JsonObject { ["email"] = email, ["last_name"] = "Lovelace", ["consent_text"] = "Send me deals." }, Ct);

        Assert.Equal("subscribed", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["status"]);
        var member = (await nudge.MembersUntilAsync(list, m => m.Count == 1)).Single();
        var timeline = await nudge.TimelineWithAsync((string)member["profileId"]!, "Consent Changed");
        Assert.Equal("signup form", (string?)timeline.Named("List Joined").Single()["message"]!["properties"]!["source"]);
        Assert.Equal("Send me deals.", (string?)timeline.Named("Consent Changed").Single()["message"]!["properties"]!["wording"]);
        Assert.Empty(await OutboxToAsync(email));
    }

    [Fact]
    public async Task A_form_cannot_rename_a_known_customer()
    {
        var list = await nudge.CreateListAsync();
        var user = Some.Id("user");
        var email = $"{user}@example.com";
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: new JsonObject { ["email"] = email, ["first_name"] = "Ada" }));
        await nudge.WaitForProfileAsync(email, _ => true);
        using var browser = Browser();

        await browser.PostAsync($"/lists/{list}/signup", Form(email, ("first_name", "Mallory")), Ct);

        await nudge.MembersUntilAsync(list, m => m.Count == 1);
        Assert.Equal("Ada", (string?)(await nudge.WaitForProfileAsync(email, _ => true))["traits"]!["first_name"]);
    }

    [Fact]
    public async Task A_filled_honeypot_answers_like_a_success_and_stores_nothing()
    {
        var list = await nudge.CreateListAsync(doubleOptIn: true);
        var email = $"{Some.Id("bot")}@example.com";
        using var browser = Browser();

        var response = await browser.PostAsync($"/lists/{list}/signup", Form(email, ("website", "http://spam.example")), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("check your inbox", await response.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await OutboxToAsync(email));
        using var admin = nudge.Admin();
        Assert.Empty((await admin.GetFromJsonAsync<JsonArray>($"/api/profiles?query={Uri.EscapeDataString(email)}", Ct))!);
    }

    [Fact]
    public async Task Signups_beyond_the_limit_per_client_address_are_refused_with_429()
    {
        var list = await nudge.CreateListAsync();
        using var browser = Browser();
        using var otherBrowser = Browser();
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < 11; i++)
            statuses.Add((await browser.PostAsync($"/lists/{list}/signup", Form($"{Some.Id("burst")}@example.com"), Ct)).StatusCode);
        var other = await otherBrowser.PostAsync($"/lists/{list}/signup", Form($"{Some.Id("burst")}@example.com"), Ct);

        Assert.All(statuses.Take(10), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[10]);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task A_redirect_on_the_lists_allowed_list_is_followed_with_303()
    {
        var list = await nudge.CreateListAsync("Redirects", doubleOptIn: false, "https://shop.example/thanks");
        using var browser = Browser();

        var response = await browser.PostAsync($"/lists/{list}/signup",
            Form($"{Some.Id("redirect")}@example.com", ("redirect", "https://shop.example/thanks")), Ct);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("https://shop.example/thanks", response.Headers.Location?.ToString());
    }

    [Theory]
    [InlineData("https://evil.example/thanks")]
    [InlineData("//evil.example/thanks")]
    [InlineData("https://shop.example@evil.example/thanks")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://shop.example/thanks/../elsewhere")]
    public async Task A_redirect_not_on_the_allowed_list_is_refused_and_never_followed(string redirect)
    {
        var list = await nudge.CreateListAsync("Redirects", doubleOptIn: false, "https://shop.example/thanks");
        var email = $"{Some.Id("open")}@example.com";
        using var browser = Browser();

        var response = await browser.PostAsync($"/lists/{list}/signup", Form(email, ("redirect", redirect)), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().ContainsKey("redirect"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-address")]
    public async Task A_signup_without_a_valid_email_is_refused_naming_the_field(string email)
    {
        var list = await nudge.CreateListAsync();
        using var browser = Browser();

        var response = await browser.PostAsync($"/lists/{list}/signup", Form(email), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().ContainsKey("email"));
    }

    [Fact]
    public async Task A_signup_for_an_unknown_list_is_not_found()
    {
        using var browser = Browser();

        var response = await browser.PostAsync("/lists/lst_nothing/signup", Form("ada@example.com"), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Shop_pages_of_any_origin_may_post_the_form()
    {
        var list = await nudge.CreateListAsync();
        using var browser = Browser();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, $"/lists/{list}/signup");
        preflight.Headers.Add("Origin", "https://shop.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");

        var response = await browser.SendAsync(preflight, Ct);

        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    /// <summary>A browser at a client address of its own, so each test has its own rate limit.</summary>
    private Client Browser()
    {
        var ip = IPAddress.Parse($"198.51.100.{Interlocked.Increment(ref _clients) % 250 + 1}");
        var handler = nudge.Server.CreateHandler(http => http.Connection.RemoteIpAddress = ip);
        return new Client(handler, ip.ToString()) { BaseAddress = nudge.Server.BaseAddress };
    }

    private static FormUrlEncodedContent Form(string email, params (string Key, string Value)[] more) =>
        new([new KeyValuePair<string, string>("email", email), .. more.Select(m => new KeyValuePair<string, string>(m.Key, m.Value))]);

    private async Task<IReadOnlyList<OutboxMessage>> OutboxToAsync(string email)
    {
        var record = await nudge.Services.GetRequiredService<Nudge.Storage.Keys.KeyStore>().FindAsync(NudgeApi.AdminKey, Ct);
        return await nudge.Services.GetRequiredService<OutboxStore>().ToRecipientAsync(record!.WorkspaceId, email, Ct);
    }

    private async Task<OutboxMessage> ConfirmationEmailAsync(string email)
    {
        var messages = await OutboxToAsync(email);
        var message = Assert.Single(messages);
        Assert.StartsWith("optin:sgn_", message.MessageKey, StringComparison.Ordinal);
        return message;
    }

    private async Task<ListSignup> SignupOfAsync(OutboxMessage confirmation) =>
        (await nudge.Services.GetRequiredService<ListSignupStore>().GetAsync(confirmation.MessageKey["optin:".Length..], Ct))!;

    private static string LinkIn(string text) => ConfirmationLink().Match(text).Value;

    [GeneratedRegex(@"http://localhost/lists/confirm/sgn_[0-9a-f]+\?token=[^\s""<]+")]
    private static partial Regex ConfirmationLink();

    private sealed class Client(HttpMessageHandler handler, string ip) : HttpClient(handler)
    {
        public string Ip { get; } = ip;
    }
}
