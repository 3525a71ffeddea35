using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Nudge.Server.Hosting;
using Nudge.Server.Tests.Lists;
using Nudge.Server.Tests.Support;
using Nudge.Storage.Outbox;

namespace Nudge.Server.Tests.Delivery;

/// <summary>The running server delivers its outbox into smtp-sink and shows the delivery log under /api/messages.</summary>
public sealed class MessagesApiTests(NudgeWithSmtp nudge) : IClassFixture<NudgeWithSmtp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_queued_email_is_delivered_and_shown_with_its_history()
    {
        var (_, profileId) = await PersonAsync();
        var id = await EnqueueAsync(profileId);
        using var admin = nudge.Admin();

        var detail = await Eventually.ReadUntilAsync(
            ct => admin.GetFromJsonAsync<JsonObject>($"/api/messages/{id}", ct), d => (string?)d!["message"]!["status"] == "sent", Ct);
        var listed = await admin.GetFromJsonAsync<JsonObject>($"/api/messages?profileId={profileId}&status=sent", Ct);

        Assert.Equal(["queued", "sent"], detail!["history"]!.AsArray().Select(e => (string?)e!["status"]));
        Assert.StartsWith("250", (string?)detail["message"]!["providerReply"], StringComparison.Ordinal);
        Assert.Equal([id], listed!["messages"]!.AsArray().Select(m => (string?)m!["id"]));
    }

    [Fact]
    public async Task The_one_click_link_of_a_delivered_email_unsubscribes_its_recipient()
    {
        var (user, profileId) = await PersonAsync();
        var id = await EnqueueAsync(profileId);
        var received = await ReceivedAsync(id);

        var header = received.Headers[HeaderId.ListUnsubscribe]!;
        var link = new Uri(header[1..header.IndexOf('>', StringComparison.Ordinal)]);
        using var client = nudge.CreateClient();
        var response = await client.PostAsync(link.PathAndQuery,
            new FormUrlEncodedContent([new KeyValuePair<string, string>("List-Unsubscribe", "One-Click")]), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profile = await nudge.WaitForProfileAsync(user, p => p["consentHistory"]!.AsArray().Count == 2);
        Assert.False((bool)profile["consent"]!["email"]!);
    }

    [Fact]
    public async Task A_delivered_email_is_signed_with_the_configured_dkim_key()
    {
        var (_, profileId) = await PersonAsync();
        var received = await ReceivedAsync(await EnqueueAsync(profileId));

        var signature = received.Headers[received.Headers.IndexOf(HeaderId.DkimSignature)];

        Assert.True(await new MimeKit.Cryptography.DkimVerifier(nudge.PublishedKeys).VerifyAsync(received, signature, Ct));
    }

    [Fact]
    public async Task A_double_opt_in_confirmation_reaches_the_inbox_and_its_link_confirms()
    {
        var list = await nudge.CreateListAsync("Newsletter", doubleOptIn: true);
        var email = $"{Some.Id("inbox")}@example.com";
        using var browser = nudge.CreateClient();
        await browser.PostAsync($"/lists/{list}/signup", new FormUrlEncodedContent([new KeyValuePair<string, string>("email", email)]), Ct);

        var queued = await Eventually.ReadUntilAsync(
            ct => nudge.Services.GetRequiredService<OutboxStore>().ToRecipientAsync(DemoWorkspace.Id, email, ct), m => m.Count == 1, Ct);
        var received = await ReceivedAsync(Assert.Single(queued).Id);
        var link = System.Text.RegularExpressions.Regex.Match(received.TextBody!, @"http://localhost/lists/confirm/\S+").Value;
        var confirmed = await browser.GetAsync(new Uri(link).PathAndQuery, Ct);

        Assert.Equal(email, received.To.Mailboxes.Single().Address);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Single(await nudge.MembersUntilAsync(list, m => m.Count == 1));
    }

    [Fact]
    public async Task An_unknown_status_filter_names_the_field()
    {
        using var admin = nudge.Admin();

        var response = await admin.GetAsync("/api/messages?status=delivered-ish", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("status", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["field"]);
    }

    [Fact]
    public async Task A_message_of_another_workspace_or_none_is_not_found()
    {
        using var admin = nudge.Admin();

        var response = await admin.GetAsync("/api/messages/out_missing", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_delivery_log_needs_an_admin_key()
    {
        using var client = nudge.CreateClient();

        var response = await client.GetAsync("/api/messages", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<(string User, string ProfileId)> PersonAsync()
    {
        var user = Some.Id("user");
        var traits = new JsonObject { ["email"] = $"{user}@example.com", ["consent"] = new JsonObject { ["email"] = true } };
        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Identify(user, traits: traits));
        var profile = await nudge.WaitForProfileAsync(user, p => p["consentHistory"]!.AsArray().Count == 1);
        return (user, (string)profile["id"]!);
    }

    private async Task<string> EnqueueAsync(string profileId)
    {
        var message = OutboxMessage.Email(DemoWorkspace.Id, profileId, $"test:{Guid.NewGuid():N}", $"{profileId}@example.com",
            "Back in stock", "<p>Your shoes are back.</p>", "Your shoes are back.", DateTimeOffset.UtcNow);
        await nudge.Services.GetRequiredService<OutboxStore>().EnqueueAsync(message, Ct);
        return message.Id;
    }

    private async Task<MimeMessage> ReceivedAsync(string outboxId)
    {
        // smtp-sink creates the file when the transaction starts; once Nudge recorded the 250 it is complete.
        using var admin = nudge.Admin();
        await Eventually.ReadUntilAsync(
            ct => admin.GetFromJsonAsync<JsonObject>($"/api/messages/{outboxId}", ct), d => (string?)d!["message"]!["status"] == "sent", Ct);
        var key = (await nudge.Services.GetRequiredService<DeliveryLog>().GetAsync(DemoWorkspace.Id, outboxId, Ct))!.MessageKey;
        var messageId = Channels.Email.EmailComposer.MessageId(key, "shop.example");
        var found = await Eventually.ReadUntilAsync(
            _ => Task.FromResult(nudge.Sink.MessageFiles().Select(f => MimeMessage.Load(f)).FirstOrDefault(m => m.MessageId == messageId)),
            m => m is not null, Ct);
        return found ?? throw new TimeoutException($"message {messageId} never arrived");
    }
}
