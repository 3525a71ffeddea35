using Nudge.Testing;

namespace Nudge.Server.Tests.Support;

/// <summary>
/// The in-process Nudge sending through smtp-sink, reading client addresses from X-Forwarded-For (as behind a reverse
/// proxy, <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>), so tests can make requests from Apple's network.
/// </summary>
public sealed class NudgeWithTracking : NudgeApi, IAsyncLifetime
{
    public SmtpSink Sink { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Sink = await SmtpSink.StartAsync(ct: CancellationToken.None);
        SendThrough(Sink);
        Settings["FORWARDEDHEADERS_ENABLED"] = "true";
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Sink.DisposeAsync();
    }
}
