using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nudge.Server.Hosting;
using Nudge.Server.Tests.Support;
using Nudge.Storage.Outbox;
using Nudge.Testing;

namespace Nudge.Server.Tests.Delivery;

/// <summary>With <c>Nudge:Smtp:Provider=postmark</c> the server delivers its outbox through Postmark's API.</summary>
public sealed class PostmarkDeliveryTests(NudgeWithPostmark nudge) : IClassFixture<NudgeWithPostmark>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_queued_email_goes_out_through_postmark_and_keeps_its_message_id()
    {
        var message = OutboxMessage.Email(DemoWorkspace.Id, null, $"test:{Guid.NewGuid():N}", "ada@example.com",
            "Please confirm", "<p>Please confirm.</p>", "Please confirm.", DateTimeOffset.UtcNow);
        await nudge.Services.GetRequiredService<OutboxStore>().EnqueueAsync(message, Ct);
        using var admin = nudge.Admin();

        var detail = await Eventually.ReadUntilAsync(
            ct => admin.GetFromJsonAsync<JsonObject>($"/api/messages/{message.Id}", ct), d => (string?)d!["message"]!["status"] == "sent", Ct);

        Assert.Equal("0a129aee-e1cd-480d-b08d-4f48548ff48d", (string?)detail!["message"]!["providerMessageId"]);
        Assert.Contains(nudge.Postmark.Received, r => (string?)r.Body["Subject"] == "Please confirm" && r.Token == FakePostmark.Token);
    }
}
