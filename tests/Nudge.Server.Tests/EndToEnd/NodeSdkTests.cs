using Nudge.Server.Tests.Support;
using Nudge.Testing;

namespace Nudge.Server.Tests.EndToEnd;

/// <summary>One real server for the SDK tests; each test uses people of its own.</summary>
public sealed class NodeSdkServer : IAsyncLifetime
{
    private readonly TemporaryFolder _folder = new("nudge-sdk-");
    private ServerProcess? _server;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("The server has not been started.");

    public async ValueTask InitializeAsync() =>
        _server = await ServerProcess.StartAsync(new ServerSettings(_folder.Path), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        _folder.Dispose();
    }
}

/// <summary>
/// The official Segment and RudderStack Node SDKs, unchanged, sending to the real server (docs/clients.md):
/// what they send must end up in the profile and its timeline.
/// </summary>
public sealed class NodeSdkTests(NodeSdkServer fixture) : IClassFixture<NodeSdkServer>
{
    [Fact]
    public Task Segment_analytics_node_events_reach_the_profile_and_timeline() => SendAndCheckAsync("segment");

    [Fact]
    public Task RudderStack_node_sdk_events_reach_the_profile_and_timeline() => SendAndCheckAsync("rudderstack");

    private async Task SendAndCheckAsync(string sdk)
    {
        var ct = TestContext.Current.CancellationToken;
        var server = fixture.Server;
        var id = Guid.NewGuid().ToString("N")[..12];
        var userId = $"{sdk}-user-{id}";
        var email = $"{sdk}-{id}@example.com";

        var run = await NodeClients.SendAsync(sdk, server.BaseAddress, server.Settings.WriteKey, userId, $"{sdk}-anon-{id}", email, ct);
        Assert.True(run.ExitCode == 0, $"send.mjs --sdk {sdk} exited with {run.ExitCode}:\n{run.Output}\nServer output:\n{server.OutputTail}");

        // The profile is updated after the ack; it is complete once the viewed product is on it.
        var hits = await Eventually.ReadUntilAsync(
            c => server.Admin.SearchProfilesAsync(email, c),
            found => found.Any(h => h.Email == email),
            ct);
        var hit = Assert.Single(hits, h => h.Email == email);
        var profile = await Eventually.ReadUntilAsync(
            c => server.Admin.GetProfileAsync(hit.Id, c),
            p => p.Computed.LastProductViewed is not null && p.Computed.EventCount >= 3,
            ct);
        var timeline = await server.Admin.ReadTimelineAsync(profile.Id, ct);

        Assert.Equal(userId, hit.UserId);
        Assert.Contains(new IdentityEntry("email", email), profile.Identities);
        Assert.Equal("Ada Lovelace", Assert.Contains("name", profile.Traits).GetString());
        Assert.Equal("sku-1", profile.Computed.LastProductViewed?.ProductId);
        Assert.Contains(timeline, e => e.Type == "identify");
        Assert.Contains(timeline, e => e is { Type: "track", Name: "Product Viewed" });
        Assert.Contains(timeline, e => e is { Type: "page", Name: "Home" });
    }
}
