using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nudge.Engine.Consent;
using Nudge.Server.Hosting;
using Nudge.Server.Tests.Support;
using Nudge.Storage.Keys;

namespace Nudge.Server.Tests.Consent;

public sealed class ConsentPagesTests(NudgeWithTopics nudge) : IClassFixture<NudgeWithTopics>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PreferenceLinks Links => nudge.Services.GetRequiredService<PreferenceLinks>();

    // ---- preference center ------------------------------------------------------------------------------------

    [Fact]
    public async Task A_valid_link_shows_the_channels_with_their_state_and_the_topics()
    {
        var (_, profileId) = await PersonAsync(emailConsent: true, topics: ["restocks"]);
        using var client = Client();

        var response = await client.GetAsync(await PreferencesPathAsync(profileId), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("""value="email" checked""", html, StringComparison.Ordinal);
        Assert.Contains("""value="sms" aria-describedby""", html, StringComparison.Ordinal);
        Assert.Contains("Yes, Demo Shop may send me emails.", html, StringComparison.Ordinal);
        Assert.Contains("""value="restocks" checked""", html, StringComparison.Ordinal);
        Assert.Contains("""value="news">""", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_is_self_contained_and_kept_out_of_caches_referrers_and_frames()
    {
        var (_, profileId) = await PersonAsync();
        using var client = Client();

        var response = await client.GetAsync(await PreferencesPathAsync(profileId), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.StartsWith("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.DoesNotContain("src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Topics_are_html_encoded_on_the_page()
    {
        var (_, profileId) = await PersonAsync();
        using var client = Client();

        var html = await client.GetStringAsync(await PreferencesPathAsync(profileId), Ct);

        Assert.Contains("tips &amp; &lt;tricks&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<tricks>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saving_the_page_changes_consent_and_topics_with_the_words_shown()
    {
        var (user, profileId) = await PersonAsync(emailConsent: true);
        using var client = Client();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("TestBrowser/1.0");

        var response = await client.PostAsync(await PreferencesPathAsync(profileId),
            Form(("channel", "sms"), ("topic", "offers"), ("topic", "not offered"), ("action", "save")), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Your preferences are saved.", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var profile = await nudge.WaitForProfileAsync(user, p => p["consentHistory"]!.AsArray().Count == 3 && p["traits"]!["topics"] is not null);
        Assert.Equal((false, true), ((bool)profile["consent"]!["email"]!, (bool)profile["consent"]!["sms"]!));
        Assert.Equal(["offers"], profile["traits"]!["topics"]!.AsArray().Select(t => (string?)t));
        var sms = profile["consentHistory"]!.AsArray().Single(c => (string?)c!["channel"] == "sms")!;
        Assert.Equal(("preference center", "Yes, Demo Shop may send me text messages (SMS).", "TestBrowser/1.0"),
            ((string?)sms["source"], (string?)sms["wording"], (string?)sms["userAgent"]));
    }

    [Fact]
    public async Task Unsubscribing_from_everything_unsubscribes_every_channel_and_clears_the_topics()
    {
        var (user, profileId) = await PersonAsync(emailConsent: true, topics: ["news"]);
        using var client = Client();

        await client.PostAsync(await PreferencesPathAsync(profileId), Form(("channel", "email"), ("topic", "news"), ("action", "unsubscribe-all")), Ct);

        var profile = await nudge.WaitForProfileAsync(user, p => p["consentHistory"]!.AsArray().Count == 4);
        Assert.All(["email", "sms", "push"], c => Assert.False((bool)profile["consent"]![c]!));
        Assert.Empty(profile["traits"]!["topics"]!.AsArray());
    }

    [Fact]
    public async Task A_tampered_preferences_link_is_refused_and_changes_nothing()
    {
        var (user, profileId) = await PersonAsync(emailConsent: true);
        using var client = Client();
        var tampered = Tamper(await PreferencesPathAsync(profileId));

        var shown = await client.GetAsync(tampered, Ct);
        var saved = await client.PostAsync(tampered, Form(("action", "unsubscribe-all")), Ct);

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (shown.StatusCode, saved.StatusCode));
        await AssertConsentUnchangedAsync(user);
    }

    [Fact]
    public async Task A_link_made_for_one_person_does_not_open_anothers_page()
    {
        var (_, ada) = await PersonAsync();
        var (_, bob) = await PersonAsync();
        using var client = Client();

        var response = await client.GetAsync((await PreferencesPathAsync(ada)).Replace(ada, bob, StringComparison.Ordinal), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Links_are_built_below_the_public_url_with_its_path()
    {
        var links = new PreferenceLinks(nudge.Services.GetRequiredService<KeyStore>(),
            Options.Create(new PublicLinkOptions { PublicUrl = "https://shop.example/nudge" }));

        var preferences = await links.PreferencesAsync(DemoWorkspace.Id, "prf_ada", Ct);
        var unsubscribe = await links.UnsubscribeAsync(DemoWorkspace.Id, "prf_ada", "sms", Ct);

        Assert.StartsWith("https://shop.example/nudge/preferences/prf_ada?token=0.", preferences.AbsoluteUri, StringComparison.Ordinal);
        Assert.StartsWith("https://shop.example/nudge/unsubscribe/prf_ada?channel=sms&token=0.", unsubscribe.AbsoluteUri, StringComparison.Ordinal);
    }

    // ---- one-click unsubscribe (RFC 8058) -----------------------------------------------------------------------

    [Fact]
    public async Task A_one_click_post_unsubscribes_at_once_without_a_redirect()
    {
        var (user, profileId) = await PersonAsync(emailConsent: true);
        using var client = Client();

        var response = await client.PostAsync(await UnsubscribePathAsync(profileId, "email"), Form(("List-Unsubscribe", "One-Click")), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var profile = await nudge.WaitForProfileAsync(user, p => p["consentHistory"]!.AsArray().Count == 2);
        Assert.False((bool)profile["consent"]!["email"]!);
        Assert.Equal("one-click unsubscribe", (string?)profile["consentHistory"]![1]!["source"]);
    }

    [Fact]
    public async Task Opening_the_unsubscribe_link_only_asks_and_unsubscribes_nobody()
    {
        var (user, profileId) = await PersonAsync(emailConsent: true);
        using var client = Client();

        var response = await client.GetAsync(await UnsubscribePathAsync(profileId, "email"), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("""<form method="post" """, html, StringComparison.Ordinal);
        Assert.Contains("""name="List-Unsubscribe" value="One-Click">""", html, StringComparison.Ordinal);
        await AssertConsentUnchangedAsync(user);
    }

    [Fact]
    public async Task The_confirmation_button_unsubscribes_with_the_words_it_showed()
    {
        var (user, profileId) = await PersonAsync(emailConsent: true);
        using var client = Client();

        await client.PostAsync(await UnsubscribePathAsync(profileId, "email"), Form(("List-Unsubscribe", "One-Click"), ("from", "page")), Ct);

        var profile = await nudge.WaitForProfileAsync(user, p => p["consentHistory"]!.AsArray().Count == 2);
        Assert.Equal("Do you want to stop receiving emails from Demo Shop? Unsubscribe from emails", (string?)profile["consentHistory"]![1]!["wording"]);
    }

    [Fact]
    public async Task An_unsubscribe_link_is_refused_for_another_channel_or_when_tampered()
    {
        var (user, profileId) = await PersonAsync(emailConsent: true);
        var path = await UnsubscribePathAsync(profileId, "email");
        using var client = Client();

        var otherChannel = await client.PostAsync(path.Replace("channel=email", "channel=sms", StringComparison.Ordinal), Form(("List-Unsubscribe", "One-Click")), Ct);
        var tampered = await client.PostAsync(Tamper(path), Form(("List-Unsubscribe", "One-Click")), Ct);

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (otherChannel.StatusCode, tampered.StatusCode));
        await AssertConsentUnchangedAsync(user);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private HttpClient Client() => nudge.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private async Task<(string User, string ProfileId)> PersonAsync(bool emailConsent = false, string[]? topics = null)
    {
        var user = Some.Id("user");
        var traits = new JsonObject { ["email"] = $"{user}@example.com" };
        if (emailConsent)
            traits["consent"] = new JsonObject { ["email"] = true };
        if (topics is not null)
            traits["topics"] = new JsonArray([.. topics.Select(t => JsonValue.Create(t))]);
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: traits));
        var profile = await nudge.WaitForProfileAsync(user, p => p["consentHistory"]!.AsArray().Count == (emailConsent ? 1 : 0));
        return (user, (string)profile["id"]!);
    }

    private async Task<string> PreferencesPathAsync(string profileId) =>
        (await Links.PreferencesAsync(DemoWorkspace.Id, profileId, Ct)).PathAndQuery;

    private async Task<string> UnsubscribePathAsync(string profileId, string channel) =>
        (await Links.UnsubscribeAsync(DemoWorkspace.Id, profileId, channel, Ct)).PathAndQuery;

    /// <summary>Changes the first character of the token's MAC (its last one may carry only padding bits).</summary>
    private static string Tamper(string path)
    {
        var at = path.IndexOf("token=0.", StringComparison.Ordinal) + "token=0.".Length;
        return path[..at] + (path[at] == 'A' ? 'B' : 'A') + path[(at + 1)..];
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    /// <summary>
    /// The person's consent is as it was: a later marker event reaches the profile, and nothing about consent did
    /// (events of one profile are applied in log order).
    /// </summary>
    private async Task AssertConsentUnchangedAsync(string user)
    {
        var before = await nudge.WaitForProfileAsync(user, _ => true);
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track("Marker", user));
        var after = await nudge.WaitForProfileAsync(user, p => (long?)p["computed"]!["eventCount"] == (long?)before["computed"]!["eventCount"] + 1);
        Assert.Equal(before["consentHistory"]!.ToJsonString(), after["consentHistory"]!.ToJsonString());
        Assert.Equal(before["consent"]!.ToJsonString(), after["consent"]!.ToJsonString());
    }
}
