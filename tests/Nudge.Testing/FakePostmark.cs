using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Nudge.Testing;

/// <summary>
/// A local stand-in for Postmark's <c>POST /email</c>: checks the server token, keeps every request, and answers as
/// Postmark does (200 with a MessageID, 422 with an ErrorCode, or whatever status a test asks for).
/// </summary>
public sealed class FakePostmark : IDisposable
{
    public const string Token = "pm-test-token";

    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public FakePostmark()
    {
        Port = FreePort.Next();
        BaseUrl = new Uri($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");
        _listener.Prefixes.Add(BaseUrl.AbsoluteUri);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri BaseUrl { get; }

    /// <summary>The JSON bodies received, with the token each came with.</summary>
    public ConcurrentQueue<(string? Token, JsonObject Body)> Received { get; } = new();

    /// <summary>The status and JSON the next requests get; by default Postmark's 200.</summary>
    public (int Status, string Json) Answer { get; set; } =
        (200, """{"To":"ada@example.com","SubmittedAt":"2026-03-02T09:30:00Z","MessageID":"0a129aee-e1cd-480d-b08d-4f48548ff48d","ErrorCode":0,"Message":"OK"}""");

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener throws once closed.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
            var token = context.Request.Headers["X-Postmark-Server-Token"];
            Received.Enqueue((token, body));
            var (status, json) = token == Token && context.Request.Url!.AbsolutePath == "/email"
                ? Answer
                : (401, """{"ErrorCode":10,"Message":"No Account or Server API tokens were supplied in the HTTP headers."}""");
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(json);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
