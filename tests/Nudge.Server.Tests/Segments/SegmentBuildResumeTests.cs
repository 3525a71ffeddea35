using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nudge.Core.Segments;
using Nudge.Engine.Segments;
using Nudge.Server.Tests.EndToEnd;
using Nudge.Server.Tests.Support;
using Nudge.Storage.Segments;

namespace Nudge.Server.Tests.Segments;

public sealed class SegmentBuildResumeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_build_interrupted_by_a_restart_resumes_from_its_checkpoint_instead_of_reading_the_log_again()
    {
        using var folder = new TemporaryFolder("nudge-build-");
        var user = Some.Id("user");
        string segmentId;
        await using (var first = NudgeApi.OnFolder(folder.Path))
        {
            // Builds only run with the engine on: this server logs the history and creates the segment, which stays building.
            first.Settings["Nudge:Engine:ProcessEvents"] = "false";
            await first.SendBatchAsync(NudgeApi.ServerKey, Viewed(user), Viewed(user));
            using var admin = first.Admin();
            var created = await (await admin.PostAsJsonAsync("/api/segments", Definition(), Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
            segmentId = (string)created!["id"]!;

            // What a build that had read the whole log (and seen two views by "prf_checkpointed") saved before the restart.
            var store = first.Services.GetRequiredService<SegmentStore>();
            var segment = (await store.GetAsync("demo", segmentId, Ct))!;
            var tallies = new BuildTallies(1) { ScannedThrough = segment.BuildThrough };
            var window = new TimeWindow(Last: TimeSpan.FromDays(30));
            tallies.Get("prf_checkpointed", 0).Add(window, DateTimeOffset.UtcNow.AddHours(-2), 1, DateTimeOffset.UtcNow);
            tallies.Get("prf_checkpointed", 0).Add(window, DateTimeOffset.UtcNow.AddHours(-1), 1, DateTimeOffset.UtcNow);
            await store.SaveCheckpointAsync(segmentId, 1, tallies.ToCheckpoint(), Ct);
        }

        await using var second = NudgeApi.OnFolder(folder.Path);
        using var client = second.Admin();
        var ready = await Eventually.ReadUntilAsync(
            ct => client.GetFromJsonAsync<JsonObject>($"/api/segments/{segmentId}", ct), s => (string?)s!["status"] == "ready", Ct);
        var members = await client.GetFromJsonAsync<JsonObject>($"/api/segments/{segmentId}/members", Ct);

        Assert.Equal("ready", (string?)ready!["status"]);
        // The checkpoint's profile is a member; the user's views, which the checkpoint says were read already, were not read again.
        Assert.Equal(["prf_checkpointed"], members!["members"]!.AsArray().Select(m => (string?)m!["profileId"]));
    }

    private static JsonObject Definition() => new()
    {
        ["name"] = "Viewed twice",
        ["condition"] = new JsonObject
        {
            ["event"] = "Product Viewed",
            ["count"] = new JsonObject { ["atLeast"] = 2 },
            ["window"] = new JsonObject { ["last"] = 30, ["unit"] = "days" },
        },
    };

    private static JsonObject Viewed(string user) => Some.Track("Product Viewed", userId: user, properties: new JsonObject { ["product_id"] = "sku-1" });
}
