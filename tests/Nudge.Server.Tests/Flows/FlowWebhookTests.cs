using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Nudge.Channels.Webhooks;
using Nudge.Server.Tests.Support;
using Nudge.Testing;

namespace Nudge.Server.Tests.Flows;

/// <summary>A flow's webhook step: the run's data posted to the shop's URL, signed with the workspace's secret.</summary>
public sealed class FlowWebhookTests(NudgeApi nudge) : IClassFixture<NudgeApi>, IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Id, string Timestamp, string Signature, byte[] Body)> _received = new();
    private WebApplication? _receiver;
    private string _url = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        _receiver = builder.Build();
        _receiver.MapPost("/hooks/lead", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            _received.Enqueue((request.Headers[WebhookSignature.IdHeader].ToString(), request.Headers[WebhookSignature.TimestampHeader].ToString(),
                request.Headers[WebhookSignature.SignatureHeader].ToString(), body.ToArray()));
            return Results.Ok();
        });
        await _receiver.StartAsync();
        _url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/hooks/lead";
    }

    public async ValueTask DisposeAsync()
    {
        if (_receiver is not null)
            await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_webhook_step_posts_the_runs_data_signed_with_the_workspace_secret()
    {
        using var admin = nudge.Admin();
        var trigger = Some.Id("Demo Requested");
        var flow = await admin.PostAsJsonAsync("/api/flows", new JsonObject
        {
            ["name"] = "Hot lead",
            ["trigger"] = new JsonObject { ["event"] = trigger },
            ["start"] = "crm",
            ["steps"] = new JsonObject { ["crm"] = new JsonObject { ["type"] = "webhook", ["url"] = _url } },
        }, Ct);
        var flowBody = await flow.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(flow.StatusCode == HttpStatusCode.Created, flowBody!.ToJsonString());
        await admin.PostAsync($"/api/flows/{flowBody["id"]}/activate", null, Ct);
        var user = Some.Id("lead");

        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track(trigger, userId: user, properties: new JsonObject { ["company"] = "Acme" }));

        var received = await Eventually.ReadUntilAsync(_ => Task.FromResult(_received.ToArray()), r => r.Length > 0, Ct);
        var (id, timestamp, signature, body) = Assert.Single(received);
        var secret = (string)(await admin.GetFromJsonAsync<JsonObject>("/api/webhooks/secret", Ct))!["secret"]!;
        Assert.Equal(WebhookSignature.Standard(WebhookSignature.Key(secret), id, long.Parse(timestamp, CultureInfo.InvariantCulture), body), signature);
        var json = JsonNode.Parse(body)!;
        Assert.Equal(((string?)flowBody["id"], "Acme", "crm"), ((string?)json["flow_id"], (string?)json["event"]!["company"], (string?)json["step_id"]));
    }
}
