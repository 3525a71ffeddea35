using Microsoft.Extensions.Options;
using Nudge.Channels.Webhooks;

namespace Nudge.Server.Webhooks;

/// <summary>Webhook sends: the settings and the sender the delivery worker calls.</summary>
public static class WebhooksSetup
{
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<WebhookOptions>().Bind(builder.Configuration.GetSection("Nudge:Webhooks"))
            .Validate(o => o.Timeout > TimeSpan.Zero, "Nudge:Webhooks:Timeout must be positive").ValidateOnStart();
        // Redirects are not followed: a signed message goes only where the shop addressed it.
        builder.Services.AddSingleton(sp => new WebhookSender(
            new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            },
            sp.GetRequiredService<IOptions<WebhookOptions>>(), sp.GetRequiredService<TimeProvider>()));
        return builder;
    }
}
