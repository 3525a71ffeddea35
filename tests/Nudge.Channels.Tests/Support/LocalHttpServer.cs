using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Nudge.Testing;

namespace Nudge.Channels.Tests.Support;

/// <summary>A request a local fake provider received: method, path, query, headers and body as sent.</summary>
public sealed record ReceivedRequest(string Method, string Path, string Query, Dictionary<string, string> Headers, byte[] Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}

/// <summary>What a fake provider answers: a status, headers and a body.</summary>
public sealed record FakeReply(int Status, string Body = "", Dictionary<string, string>? Headers = null, string ContentType = "application/json");

/// <summary>
/// A real HTTP server (Kestrel on a free loopback port) standing in for a provider: it records every request and
/// answers with what the test queued, or with the default. A test can hold the answer back to see a timeout.
/// </summary>
public sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeReply> _replies = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly SemaphoreSlim _arrivals = new(0);
    private TaskCompletionSource? _holdBack;

    private LocalHttpServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The server's base address, e.g. http://127.0.0.1:41234.</summary>
    public Uri Address { get; }

    /// <summary>Decides the answer from the request (e.g. a receiver that checks a signature); null falls through to the queue.</summary>
    public Func<ReceivedRequest, FakeReply?>? Respond { get; set; }

    /// <summary>The answer when none is queued.</summary>
    public FakeReply DefaultReply { get; set; } = new(200);

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    public static async Task<LocalHttpServer> StartAsync(CancellationToken ct)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var server = new LocalHttpServer(app, new Uri($"http://127.0.0.1:{port}"));
        app.Run(server.HandleAsync);
        await app.StartAsync(ct);
        return server;
    }

    /// <summary>Answers the next requests with these replies, in order.</summary>
    public void Reply(params FakeReply[] replies)
    {
        foreach (var reply in replies)
            _replies.Enqueue(reply);
    }

    /// <summary>Requests are received but not answered until <see cref="Release"/>.</summary>
    public void HoldBack() => _holdBack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _holdBack?.TrySetResult();

    /// <summary>Waits (bounded) until <paramref name="count"/> requests have arrived in all.</summary>
    public async Task WaitForRequestsAsync(int count, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (_received.Count < count)
            await _arrivals.WaitAsync(timeout.Token);
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var received = new ReceivedRequest(http.Request.Method, http.Request.Path, http.Request.QueryString.Value ?? "", headers, body.ToArray());
        _received.Enqueue(received);
        _arrivals.Release();

        if (_holdBack is { } hold)
            await hold.Task.WaitAsync(http.RequestAborted);

        var reply = Respond?.Invoke(received) ?? (_replies.TryDequeue(out var queued) ? queued : DefaultReply);
        http.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers ?? [])
            http.Response.Headers[name] = value;
        if (reply.Body.Length > 0)
        {
            http.Response.ContentType = reply.ContentType;
            await http.Response.WriteAsync(reply.Body);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrivals.Dispose();
    }
}
