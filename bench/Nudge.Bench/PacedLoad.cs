using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Nudge.Bench.Ingest;
using Nudge.Testing;

namespace Nudge.Bench;

/// <summary>The background load of the latency benchmarks: realistic batches at a steady rate, and probe people created up front.</summary>
internal static class PacedLoad
{
    /// <summary>Creates the probe people up front, so that during the run only their probe event is new; returns "userId profileId" each.</summary>
    public static async Task<IReadOnlyList<string>> IdentifyProbesAsync(ServerProcess server, int count, CancellationToken ct)
    {
        var users = Enumerable.Range(0, count).Select(i => $"probe-{i}-{Guid.NewGuid():N}").ToList();
        var batch = new JsonArray(users.Select(u => (JsonNode)new JsonObject { ["type"] = "identify", ["userId"] = u, ["messageId"] = Guid.NewGuid().ToString() }).ToArray());
        (await server.Tracking.PostAsJsonAsync("/v1/batch", new JsonObject { ["batch"] = batch }, ct)).EnsureSuccessStatusCode();

        var profiles = new List<string>();
        foreach (var user in users)
        {
            while (true)
            {
                var found = await server.Admin.GetFromJsonAsync<JsonArray>($"/api/profiles?query={user}", ct);
                if (found is [{ } first, ..])
                {
                    profiles.Add($"{user} {(string)first["id"]!}");
                    break;
                }
                await Task.Delay(50, ct);
            }
        }
        return profiles;
    }

    /// <summary>Sends the batches at a steady pace, not waiting for acks; returns the events sent, each batch's ack time and the time taken.</summary>
    public static async Task<(long Events, List<long> AckTicks, TimeSpan Elapsed)> SendAsync(
        Uri server, string writeKey, PayloadBatch[] batches, double batchesPerSecond, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        var acks = new List<long>();
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>();
        long events = 0;
        for (var i = 0; i < batches.Length; i++)
        {
            var due = TimeSpan.FromSeconds(i / batchesPerSecond);
            if (due > clock.Elapsed)
                await Task.Delay(due - clock.Elapsed, ct);
            var batch = batches[i];
            inFlight.Add(Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(batch.Body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("/v1/batch", content, ct);
                response.EnsureSuccessStatusCode();
                lock (acks)
                    acks.Add(Stopwatch.GetTimestamp() - started);
                Interlocked.Add(ref events, batch.Rows.Length);
            }, ct));
            inFlight.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(inFlight);
        return (events, acks, clock.Elapsed);
    }
}
