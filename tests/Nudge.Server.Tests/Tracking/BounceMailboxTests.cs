using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Nudge.Server.Tests.Support;
using Nudge.Testing;

namespace Nudge.Server.Tests.Tracking;

/// <summary>
/// Bounces and complaints that arrive in a real IMAP mailbox (Dovecot): Nudge reads them, suppresses the addresses,
/// marks them read or moves them, and leaves people's mail alone.
/// </summary>
public sealed partial class BounceMailboxTests(NudgeWithBounceMailbox nudge) : IClassFixture<NudgeWithBounceMailbox>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_bounce_in_the_mailbox_suppresses_the_address_and_bounces_the_message()
    {
        var sent = await SendAsync();
        await nudge.Mailbox.AppendAsync(Bounce("dsn-hard-5.1.1.eml", sent), ct: Ct);

        await PollAsync(nudge);

        using var admin = nudge.Admin();
        var suppression = await admin.GetFromJsonAsync<JsonObject>($"/api/suppressions/email/{Uri.EscapeDataString(sent.Address)}", Ct);
        Assert.Equal(("hard_bounce", "bounce"), ((string?)suppression!["reason"], (string?)suppression["source"]));
        var detail = await admin.GetFromJsonAsync<JsonObject>($"/api/messages/{sent.MessageId}", Ct);
        Assert.Equal("bounced", (string?)detail!["message"]!["status"]);
    }

    [Fact]
    public async Task A_complaint_in_the_mailbox_suppresses_the_address()
    {
        var sent = await SendAsync();
        await nudge.Mailbox.AppendAsync(Bounce("arf-abuse.eml", sent), ct: Ct);

        await PollAsync(nudge);

        using var admin = nudge.Admin();
        var suppression = await admin.GetFromJsonAsync<JsonObject>($"/api/suppressions/email/{Uri.EscapeDataString(sent.Address)}", Ct);
        Assert.Equal("complaint", (string?)suppression!["reason"]);
    }

    [Fact]
    public async Task Handled_bounces_are_marked_read_and_replies_stay_unread()
    {
        var sent = await SendAsync();
        var bounceSubject = Some.Id("bounce");
        var replySubject = Some.Id("Re: Your cart");
        await nudge.Mailbox.AppendAsync(Bounce("dsn-hard-5.1.1.eml", sent, bounceSubject), ct: Ct);
        await nudge.Mailbox.AppendAsync(Reply(sent.Address, replySubject), ct: Ct);

        await PollAsync(nudge);

        var (unread, read) = await nudge.Mailbox.SubjectsAsync(ct: Ct);
        Assert.Contains(bounceSubject, read);
        Assert.Contains(replySubject, unread);
    }

    [Fact]
    public async Task A_second_reading_looks_at_nothing_already_handled_or_passed_over()
    {
        var sent = await SendAsync();
        await nudge.Mailbox.AppendAsync(Bounce("dsn-soft-4.2.2.eml", sent), ct: Ct);
        await nudge.Mailbox.AppendAsync(Reply(sent.Address, Some.Id("Re: Your cart")), ct: Ct);
        await PollAsync(nudge);

        var second = await PollAsync(nudge);

        Assert.Equal((true, 0, 0), ((bool?)second["ok"], (int?)second["messages"], (int?)second["reports"]));
    }

    [Fact]
    public async Task The_status_shows_the_latest_reading_and_never_the_password()
    {
        var sent = await SendAsync();
        await nudge.Mailbox.AppendAsync(Bounce("dsn-hard-5.1.1.eml", sent), ct: Ct);
        await PollAsync(nudge);

        using var admin = nudge.Admin();
        var json = await admin.GetStringAsync("/api/tracking/bounce-mailbox", Ct);

        var status = JsonNode.Parse(json)!;
        Assert.Equal((true, nudge.Mailbox.User, true), ((bool?)status["enabled"], (string?)status["user"], (bool?)status["lastPoll"]!["ok"]));
        Assert.True((long)status["reports"]! >= 1);
        Assert.DoesNotContain(nudge.Mailbox.Password, json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_login_is_reported_in_the_reading_and_the_status()
    {
        await using var wrong = new NudgeApi();
        foreach (var (key, value) in NudgeWithBounceMailbox.MailboxSettings(nudge.Mailbox, password: "not-the-password"))
            wrong.Settings[key] = value;

        var poll = await PollAsync(wrong);

        Assert.False((bool?)poll["ok"]);
        Assert.Contains("Authentication failed", (string?)poll["error"], StringComparison.OrdinalIgnoreCase);
        using var admin = wrong.Admin();
        var status = await admin.GetFromJsonAsync<JsonObject>("/api/tracking/bounce-mailbox", Ct);
        Assert.Null(status!["lastSuccessAt"]);
    }

    [Fact]
    public async Task With_a_processed_folder_handled_reports_are_moved_there_and_an_address_only_bounce_suppresses_it()
    {
        await using var mailbox = await ImapServer.StartAsync(ct: Ct);
        await using var other = new NudgeApi();
        foreach (var (key, value) in NudgeWithBounceMailbox.MailboxSettings(mailbox))
            other.Settings[key] = value;
        other.Settings["Nudge:BounceMailbox:ProcessedFolder"] = "Nudge Processed";
        // A bounce of mail sent by another system: no message of Nudge's, only the address, in the only workspace.
        var address = $"{Some.Id("gone")}@customer.example";
        var subject = Some.Id("bounce");
        await mailbox.AppendAsync(WithSubject(BounceSamples.About("dsn-hard-5.1.1.eml", "elsewhere:1", address), subject), ct: Ct);

        await PollAsync(other);

        Assert.Empty((await mailbox.SubjectsAsync(ct: Ct)).Read);
        Assert.Equal([subject], (await mailbox.SubjectsAsync("Nudge Processed", Ct)).Read);
        using var admin = other.Admin();
        using var suppression = await admin.GetAsync($"/api/suppressions/email/{Uri.EscapeDataString(address)}", Ct);
        Assert.Equal(HttpStatusCode.OK, suppression.StatusCode);
    }

    [Fact]
    public async Task Reading_without_a_configured_mailbox_is_a_conflict()
    {
        await using var plain = new NudgeApi();
        using var admin = plain.Admin();

        using var response = await admin.PostAsync("/api/tracking/bounce-mailbox/poll", null, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Nudge__BounceMailbox__Host", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private static async Task<JsonObject> PollAsync(NudgeApi server)
    {
        using var admin = server.Admin();
        using var response = await admin.PostAsync("/api/tracking/bounce-mailbox/poll", null, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    private static string Bounce(string sample, SentEmail sent, string? subject = null) =>
        WithSubject(BounceSamples.About(sample, sent.Key, sent.Address), subject ?? Some.Id("bounce"));

    private static string WithSubject(string mime, string subject) => SubjectLine().Replace(mime, $"Subject: {subject}", 1);

    private static string Reply(string from, string subject) =>
        $"From: <{from}>\r\nTo: news@shop.example\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@customer.example>\r\n\r\nWhen will my shoes arrive?\r\n";

    /// <summary>A flow email to a new person that the sink received; its message id and key from the outbox.</summary>
    private async Task<SentEmail> SendAsync()
    {
        var trigger = Some.Id("Checkout Started");
        await nudge.LiveEmailFlowAsync(trigger, await nudge.EmailTemplateAsync("Your cart", "<p>Your cart is waiting</p>"), smartSending: false);
        var user = Some.Id("ada");
        var address = $"{user}@customer.example";
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: new JsonObject { ["email"] = address }), Some.Track(trigger, userId: user));

        var profileId = (string)(await nudge.WaitForProfileAsync(user, _ => true))["id"]!;
        var message = await nudge.SentMessageAsync(profileId);
        return new SentEmail((string)message["id"]!, (string)message["key"]!, address);
    }

    private sealed record SentEmail(string MessageId, string Key, string Address);

    [GeneratedRegex("^Subject: [^\\r\\n]*", RegexOptions.Multiline)]
    private static partial Regex SubjectLine();
}
