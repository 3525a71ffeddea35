using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nudge.Server.Tests.Support;
using Nudge.Storage;

namespace Nudge.Server.Tests.Flows;

/// <summary>
/// The engine at scale, on the in-process Orleans silo: a trigger event for each of 200,000 people starts 200,000
/// runs that all wait at once in the timer table; when their hour is over (simulated), every run wakes, sends its
/// message exactly once and completes.
/// </summary>
[Collection(nameof(FlowScaleTests))]
[CollectionDefinition(nameof(FlowScaleTests), DisableParallelization = true)]
public sealed class FlowScaleTests(NudgeWithJumpingClock nudge) : IClassFixture<NudgeWithJumpingClock>
{
    private const int People = 200_000;
    private const int BatchSize = 500;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_hundred_thousand_concurrent_runs_each_send_once_and_complete()
    {
        var flow = await CreateLiveFlowAsync();

        await SendSignUpsAsync();
        var waiting = await WaitForRunsAsync(flow, "active");
        Assert.Equal(People, waiting);

        nudge.Clock.Jump(TimeSpan.FromHours(1));
        var completed = await WaitForRunsAsync(flow, "completed");

        Assert.Equal(People, completed);
        Assert.Equal(People, await ScalarAsync("SELECT COUNT(DISTINCT message_key) FROM outbox WHERE flow_id = @p0", flow));
        Assert.Equal(People, await ScalarAsync("SELECT COUNT(*) FROM outbox WHERE flow_id = @p0", flow));
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM timers WHERE kind = 'flow'"));
        using var admin = nudge.Admin();
        var view = await admin.GetFromJsonAsync<JsonObject>($"/api/flows/{flow}", Ct);
        var hello = view!["steps"]!.AsArray().Single(s => (string?)s!["stepId"] == "hello")!;
        Assert.Equal((People, People), ((long)hello["entered"]!, (long)hello["completed"]!));
    }

    private async Task<string> CreateLiveFlowAsync()
    {
        using var admin = nudge.Admin();
        var created = await admin.PostAsJsonAsync("/api/flows", new JsonObject
        {
            ["name"] = "Welcome at scale",
            ["trigger"] = new JsonObject { ["event"] = "Signed Up" },
            ["start"] = "pause",
            ["steps"] = new JsonObject
            {
                ["pause"] = new JsonObject { ["type"] = "wait", ["duration"] = new JsonObject { ["hours"] = 1 }, ["next"] = "hello" },
                ["hello"] = new JsonObject { ["type"] = "send", ["channel"] = "email", ["template"] = "tpl_welcome" },
            },
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (string)(await created.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/flows/{id}/activate", null, Ct)).StatusCode);
        return id;
    }

    /// <summary>One sign-up per person, in batches from a few concurrent senders, as a busy shop sends them.</summary>
    private async Task SendSignUpsAsync()
    {
        var batches = Enumerable.Range(0, People / BatchSize);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct }, async (batch, ct) =>
        {
            var messages = Enumerable.Range(batch * BatchSize, BatchSize)
                .Select(i => Some.Track("Signed Up", userId: "scale-" + i.ToString(CultureInfo.InvariantCulture)))
                .ToArray();
            await nudge.SendBatchAsync(NudgeApi.ServerKey, messages);
        });
    }

    /// <summary>Waits until every person's run has the status (or nothing moves for a minute); returns how many have it.</summary>
    private async Task<long> WaitForRunsAsync(string flow, string status)
    {
        var (count, lastChange, last) = (0L, DateTime.UtcNow, -1L);
        while (DateTime.UtcNow - lastChange < TimeSpan.FromMinutes(1))
        {
            count = await ScalarAsync("SELECT COUNT(*) FROM flow_runs WHERE flow_id = @p0 AND status = @p1", flow, status);
            if (count == People)
                return count;
            if (count != last)
                (last, lastChange) = (count, DateTime.UtcNow);
            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        }
        return count;
    }

    private async Task<long> ScalarAsync(string sql, params object[] args)
    {
        var database = nudge.Services.GetRequiredService<Database>();
        await using var connection = await database.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < args.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            parameter.Value = args[i];
            command.Parameters.Add(parameter);
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), CultureInfo.InvariantCulture);
    }
}
