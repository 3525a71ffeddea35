using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;

namespace Nudge.Server.Tests.Support;

/// <summary>A Nudge whose clock the test moves ahead (every part of the server reads time from it).</summary>
/// <remarks>
/// Orleans reads the same clock: after a jump, every grain call in flight would look hours overdue, be dropped as
/// expired and time out, and the engine would spend the rest of the test retrying and logging it. Calls here are
/// given longer than any jump instead.
/// </remarks>
public sealed class NudgeWithJumpingClock : NudgeApi
{
    public JumpingClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.Configure<SiloMessagingOptions>(messaging =>
            {
                messaging.ResponseTimeout = TimeSpan.FromDays(30);
                messaging.SystemResponseTimeout = TimeSpan.FromDays(30);
                messaging.DropExpiredMessages = false;
            });
        });
    }
}
