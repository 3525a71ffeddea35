using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Nudge.Bench.Ingest;

/// <summary>What a round of batch requests achieved.</summary>
internal sealed record SendResult(TimeSpan Elapsed, long Accepted, long Duplicates, long[] LatencyTicks);

/// <summary>
/// Posts pre-serialized batches to <c>/v1/batch</c> from a fixed number of concurrent senders, each on its
/// own keep-alive connection, and records every request's ack latency (send to complete reply).
/// </summary>
internal sealed class BatchSender : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;
    private readonly int _concurrency;

    public BatchSender(Uri server, string writeKey, int concurrency)
    {
        _concurrency = concurrency;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _http = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(120) };
        _http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        _http.DefaultRequestHeaders.ExpectContinue = false;
    }

    public async Task<SendResult> SendAsync(IReadOnlyList<PayloadBatch> batches, CancellationToken ct)
    {
        var latencies = new long[batches.Count];
        var next = -1;
        long accepted = 0, duplicates = 0;
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var started = Stopwatch.GetTimestamp();
        var senders = Enumerable.Range(0, _concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < batches.Count)
            {
                var before = Stopwatch.GetTimestamp();
                var (a, d) = await PostAsync(batches[i], failed.Token);
                latencies[i] = Stopwatch.GetTimestamp() - before;
                Interlocked.Add(ref accepted, a);
                Interlocked.Add(ref duplicates, d);
            }
        }, failed.Token)).ToArray();

        try
        {
            await Task.WhenAll(senders);
        }
        catch
        {
            await failed.CancelAsync();
            throw;
        }

        return new SendResult(Stopwatch.GetElapsedTime(started), accepted, duplicates, latencies);
    }

    public void Dispose() => _http.Dispose();

    private async Task<(int Accepted, int Duplicates)> PostAsync(PayloadBatch batch, CancellationToken ct)
    {
        using var content = new ByteArrayContent(batch.Body);
        content.Headers.ContentType = Json;
        using var response = await _http.PostAsync(new Uri("/v1/batch", UriKind.Relative), content, ct);
        var reply = await response.Content.ReadAsByteArrayAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"/v1/batch answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(reply)}");

        using var document = JsonDocument.Parse(reply);
        var root = document.RootElement;
        if (!root.TryGetProperty("success", out var success) || !success.GetBoolean())
            throw new InvalidOperationException($"/v1/batch did not report success: {Encoding.UTF8.GetString(reply)}");
        return (root.GetProperty("accepted").GetInt32(), root.GetProperty("duplicates").GetInt32());
    }
}
