using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Nudge.Server.Hosting;
using Nudge.Server.Tests.Support;
using Nudge.Storage.Push;
using Nudge.Testing;

namespace Nudge.Server.Tests.Flows;

/// <summary>A flow's push step: rendered title and body, encrypted to every browser the person subscribed.</summary>
public sealed class FlowPushTests(NudgeApi nudge) : IClassFixture<NudgeApi>, IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Path, string? Encoding, int Bytes)> _received = new();
    private WebApplication? _pushService;
    private string _origin = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        _pushService = builder.Build();
        _pushService.MapPost("/push/{id}", async (HttpRequest request, string id) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            _received.Enqueue(("/push/" + id, request.Headers.ContentEncoding.ToString(), (int)body.Length));
            return Results.StatusCode(201);
        });
        await _pushService.StartAsync();
        _origin = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
    }

    public async ValueTask DisposeAsync()
    {
        if (_pushService is not null)
            await _pushService.DisposeAsync();
    }

    [Fact]
    public async Task A_subscribed_browser_gets_the_flows_push_encrypted()
    {
        using var admin = nudge.Admin();
        var template = await admin.PostAsJsonAsync("/api/templates", new JsonObject
        {
            ["name"] = Some.Id("restock"), ["kind"] = "push", ["subject"] = "Back in stock", ["body"] = "{{ event.name }} is back, {{ profile.first_name }}!",
        }, Ct);
        var templateBody = await template.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(template.StatusCode == HttpStatusCode.Created, templateBody!.ToJsonString());
        var trigger = Some.Id("Wishlist Restocked");
        var flow = await admin.PostAsJsonAsync("/api/flows", new JsonObject
        {
            ["name"] = "Restock",
            ["trigger"] = new JsonObject { ["event"] = trigger },
            ["start"] = "notify",
            ["steps"] = new JsonObject { ["notify"] = new JsonObject { ["type"] = "send", ["channel"] = "push", ["template"] = (string)templateBody["id"]! } },
        }, Ct);
        var flowBody = await flow.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(flow.StatusCode == HttpStatusCode.Created, flowBody!.ToJsonString());
        await admin.PostAsync($"/api/flows/{flowBody["id"]}/activate", null, Ct);
        var user = Some.Id("ada");
        await nudge.SendBatchAsync(NudgeApi.ServerKey,
            Some.Identify(user, traits: new JsonObject { ["firstName"] = "Ada", ["timezone"] = Some.AfternoonZone(), ["consent"] = new JsonObject { ["push"] = true } }));
        var profileId = (string)(await nudge.WaitForProfileAsync(user, _ => true))["id"]!;
        var browser = Guid.NewGuid().ToString("N");
        await SubscribeAsync(profileId, $"{_origin}/push/{browser}");

        await nudge.SendBatchAsync(NudgeApi.ServerKey, Some.Track(trigger, userId: user, properties: new JsonObject { ["name"] = "Linen shirt" }));

        var received = await Eventually.ReadUntilAsync(_ => Task.FromResult(_received.ToArray()), r => r.Any(p => p.Path == "/push/" + browser), Ct);
        var push = Assert.Single(received, p => p.Path == "/push/" + browser);
        Assert.Equal("aes128gcm", push.Encoding);
        Assert.True(push.Bytes > 100);
    }

    /// <summary>A browser's subscription as the subscribe script stores it, with real P-256 keys.</summary>
    private async Task SubscribeAsync(string profileId, string endpoint)
    {
        using var browserKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var point = browserKey.ExportParameters(false).Q;
        var p256dh = Base64Url.EncodeToString([0x04, .. point.X!, .. point.Y!]);
        var auth = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        await nudge.Services.GetRequiredService<PushSubscriptionStore>().SaveAsync(
            new PushSubscription(DemoWorkspace.Id, profileId, endpoint, p256dh, auth, "test browser", DateTimeOffset.UtcNow), Ct);
    }
}
