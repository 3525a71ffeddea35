using System.Globalization;
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
        Settings["Nudge:Smtp:Host"] = SmtpSink.Address;
        Settings["Nudge:Smtp:Port"] = Sink.Port.ToString(CultureInfo.InvariantCulture);
        Settings["Nudge:Smtp:Security"] = "none";
        Settings["Nudge:Smtp:From"] = "Demo Shop <news@shop.example>";
        Settings["Nudge:Delivery:PollInterval"] = "00:00:00.100";
        Settings["FORWARDEDHEADERS_ENABLED"] = "true";
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Sink.DisposeAsync();
    }
}
