using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;
using Nudge.Testing;

namespace Nudge.Server.Tests.EndToEnd;

/// <summary>
/// "A 200 means durable" and "idempotent everywhere", checked against the real server: kill -9 it right
/// after the acks, start it again on the same data, and count what it kept.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const int EventsPerCustomer = 10;
    private const int BatchSize = 100;
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Acknowledged_events_survive_kill_9_exactly_once()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TemporaryFolder("nudge-crash-");
        var settings = new ServerSettings(folder.Path);
        // 200 customers, 2,000 events in 20 batches, all acknowledged before the kill.
        var acknowledgedTraffic = Traffic.Generate("acked", customers: 200, seed: 1);
        // 1,000 more events whose requests are still running when the server dies; a client retries them.
        var inFlightTraffic = Traffic.Generate("in-flight", customers: 100, seed: 2);

        await using (var first = await ServerProcess.StartAsync(settings, ct))
        {
            var replies = await Task.WhenAll(acknowledgedTraffic.Batches.Select(b => SendAsync(first, b, ct)));
            for (var i = 0; i < replies.Length; i++)
            {
                Assert.True(replies[i] is { Success: true, Duplicates: 0 } r && r.Accepted == acknowledgedTraffic.Batches[i].MessageIds.Count,
                    $"batch {i} was answered {replies[i]}");
            }

            var inFlight = inFlightTraffic.Batches.Select(b => SendAsync(first, b, CancellationToken.None)).ToList();
            // Killed as soon as the server answers the first of them, so the others are somewhere between
            // the socket and the commit.
            await Task.WhenAny(inFlight);
            await first.KillAsync(ct);
            var answered = 0;
            foreach (var request in inFlight)
            {
                try
                {
                    await request;
                    answered++;
                }
                catch (HttpRequestException)
                {
                    // The connection died with the server: the client does not know, and will retry.
                }
            }
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"Killed with {inFlight.Count - answered} of {inFlight.Count} further batches unanswered.");
        }

        await using var second = await ServerProcess.StartAsync(settings, ct);

        foreach (var batch in acknowledgedTraffic.Batches)
        {
            var reply = await SendAsync(second, batch, ct);
            Assert.Equal(new BatchReply(true, 0, batch.MessageIds.Count), reply);
        }

        var retriedDuplicates = 0;
        foreach (var batch in inFlightTraffic.Batches)
        {
            var reply = await SendAsync(second, batch, ct);
            retriedDuplicates += reply.Duplicates;
            Assert.True(reply.Success && reply.Accepted + reply.Duplicates == batch.MessageIds.Count, $"retry answered {reply}");
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Retrying them after the restart found {retriedDuplicates} of {inFlightTraffic.Customers.Sum(c => c.MessageIds.Count)} events already logged.");

        var problems = await FindDifferencesAsync(second, [.. acknowledgedTraffic.Customers, .. inFlightTraffic.Customers], ct);
        if (problems.Count > 0)
            Assert.Fail($"{problems.Count} differences after the restart, e.g.:\n{string.Join('\n', problems.Take(40))}\n\nServer output:\n{second.OutputTail}");
    }

    /// <summary>
    /// Compares every customer's profile (computed counts) and timeline (message ids, each once) with what
    /// was sent; waits, with one bound for all, for the profiles to catch up with the log.
    /// </summary>
    private static async Task<List<string>> FindDifferencesAsync(ServerProcess server, IReadOnlyList<Customer> customers, CancellationToken ct)
    {
        var problems = new List<string>();
        // One bound for all profiles: when something is wrong, the test fails after it rather than after one wait each.
        var clock = Stopwatch.StartNew();
        TimeSpan Left() => TimeSpan.FromTicks(Math.Max(0, (CatchUpTimeout - clock.Elapsed).Ticks));

        var hits = await Eventually.ReadUntilAsync(
            c => server.Admin.SearchProfilesAsync(null, c, limit: 500),
            found => customers.All(customer => found.Any(h => h.UserId == customer.UserId)),
            ct,
            Left());

        foreach (var customer in customers)
        {
            var matching = hits.Where(h => h.UserId == customer.UserId).ToList();
            if (matching.Count != 1)
            {
                problems.Add($"{customer.UserId}: {matching.Count} profiles");
                continue;
            }

            var id = matching[0].Id;
            var profile = await Eventually.ReadUntilAsync(
                c => server.Admin.GetProfileAsync(id, c),
                p => p.Computed.EventCount >= customer.MessageIds.Count,
                ct,
                Left());
            var computed = profile.Computed;
            if (computed.EventCount != customer.MessageIds.Count)
                problems.Add($"{customer.UserId}: eventCount {computed.EventCount}, sent {customer.MessageIds.Count}");
            if (computed.OrderCount != customer.Orders)
                problems.Add($"{customer.UserId}: orderCount {computed.OrderCount}, sent {customer.Orders}");
            if (computed.TotalRevenue != customer.Revenue)
                problems.Add($"{customer.UserId}: totalRevenue {computed.TotalRevenue}, sent {customer.Revenue}");

            var timeline = await server.Admin.ReadTimelineAsync(id, ct);
            foreach (var repeated in timeline.GroupBy(e => e.MessageId).Where(g => g.Count() > 1))
                problems.Add($"{customer.UserId}: message {repeated.Key} is in the timeline {repeated.Count()} times");
            foreach (var missing in customer.MessageIds.Except(timeline.Select(e => e.MessageId)))
                problems.Add($"{customer.UserId}: message {missing} is missing from the timeline");
            foreach (var foreign in timeline.Select(e => e.MessageId).Except(customer.MessageIds))
                problems.Add($"{customer.UserId}: message {foreign} was never sent for this customer");
        }

        return problems;
    }

    private static async Task<BatchReply> SendAsync(ServerProcess server, Batch batch, CancellationToken ct)
    {
        using var content = new StringContent(batch.Json, Encoding.UTF8, "application/json");
        using var response = await server.Tracking.PostAsync(new Uri("/v1/batch", UriKind.Relative), content, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"POST /v1/batch answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        return await response.Content.ReadFromJsonAsync<BatchReply>(JsonSerializerOptions.Web, ct)
            ?? throw new InvalidOperationException("POST /v1/batch answered null");
    }

    private sealed record BatchReply(bool Success, int Accepted, int Duplicates);

    /// <summary>One request body and the message ids in it.</summary>
    private sealed record Batch(string Json, IReadOnlyList<string> MessageIds);

    /// <summary>What was sent for one person, and so what their profile must show.</summary>
    private sealed record Customer(string UserId, IReadOnlyList<string> MessageIds, int Orders, decimal Revenue);

    /// <summary>
    /// Customers with ten events each (identify, page, product views, orders with id and revenue), shuffled
    /// across batches so that every batch touches many profiles and every profile many batches.
    /// </summary>
    private sealed record Traffic(IReadOnlyList<Customer> Customers, IReadOnlyList<Batch> Batches)
    {
        public static Traffic Generate(string prefix, int customers, int seed)
        {
            var random = new Random(seed);
            var start = DateTimeOffset.UtcNow.AddHours(-1);
            var people = new List<Customer>();
            var messages = new List<(string Id, JsonObject Json)>();
            for (var n = 0; n < customers; n++)
            {
                var userId = $"{prefix}-user-{n:D4}";
                var own = new List<(string Id, JsonObject Json)>();
                JsonObject Message(string type)
                {
                    var id = $"{prefix}-{Guid.NewGuid():N}";
                    var json = new JsonObject
                    {
                        ["type"] = type,
                        ["messageId"] = id,
                        ["userId"] = userId,
                        ["timestamp"] = start.AddSeconds(messages.Count + own.Count).ToString("O"),
                    };
                    own.Add((id, json));
                    return json;
                }

                var identify = Message("identify");
                identify["traits"] = new JsonObject { ["email"] = $"{userId}@example.com", ["name"] = $"Customer {n}" };
                Message("page")["name"] = "Home";

                var orders = random.Next(0, 4);
                var revenue = 0m;
                for (var o = 0; o < orders; o++)
                {
                    var value = random.Next(500, 50_000) / 100m;
                    revenue += value;
                    var order = Message("track");
                    order["event"] = "Order Completed";
                    order["properties"] = new JsonObject { ["order_id"] = $"{userId}-order-{o}", ["revenue"] = value, ["currency"] = "EUR" };
                }

                while (own.Count < EventsPerCustomer)
                {
                    var view = Message("track");
                    view["event"] = "Product Viewed";
                    view["properties"] = new JsonObject { ["product_id"] = $"sku-{random.Next(1, 50)}", ["price"] = random.Next(5, 500) };
                }

                people.Add(new Customer(userId, own.Select(m => m.Id).ToList(), orders, revenue));
                messages.AddRange(own);
            }

            var shuffled = messages.ToArray();
            random.Shuffle(shuffled);
            var batches = shuffled.Chunk(BatchSize)
                .Select(chunk => new Batch(
                    new JsonObject { ["batch"] = new JsonArray([.. chunk.Select(m => (JsonNode)m.Json)]) }.ToJsonString(),
                    chunk.Select(m => m.Id).ToList()))
                .ToList();
            return new Traffic(people, batches);
        }
    }
}
