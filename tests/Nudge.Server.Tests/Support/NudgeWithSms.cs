using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Nudge.Testing;

namespace Nudge.Server.Tests.Support;

/// <summary>The in-process Nudge sending its SMS to a local fake of a Twilio-style provider, which keeps every message it got.</summary>
public sealed class NudgeWithSms : NudgeApi, IAsyncLifetime
{
    private WebApplication? _provider;

    /// <summary>What the provider was asked to send: (To, Body).</summary>
    public ConcurrentQueue<(string To, string Body)> Sent { get; } = new();

    public async ValueTask InitializeAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        _provider = builder.Build();
        _provider.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            Sent.Enqueue((form["To"].ToString(), form["Body"].ToString()));
            return Results.Json(new { sid = "SM" + Guid.NewGuid().ToString("N"), status = "queued" }, statusCode: 201);
        });
        await _provider.StartAsync();
        Settings["Nudge:Sms:BaseUrl"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        Settings["Nudge:Sms:AccountSid"] = "AC0123456789abcdef0123456789abcdef";
        Settings["Nudge:Sms:AuthToken"] = "test-token";
        Settings["Nudge:Sms:From"] = "+15005550006";
        Settings["Nudge:Delivery:PollInterval"] = "00:00:00.100";
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_provider is not null)
            await _provider.DisposeAsync();
    }
}
