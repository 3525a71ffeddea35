using Microsoft.Extensions.Options;
using Nudge.Channels.Push;
using Nudge.Server.Hosting;
using Nudge.Storage.Push;

namespace Nudge.Server.Push;

/// <summary>Web Push: stores, the sender, the browser endpoints and the scripts shop pages load.</summary>
public static class PushSetup
{
    /// <summary>The rate limit of the public subscription endpoint, per client address.</summary>
    public const string RatePolicy = "push-subscriptions";

    /// <summary>Browsers post and delete subscriptions from the shop's own pages: any origin, no cookies.</summary>
    public const string CorsPolicy = "push";

    public static WebApplicationBuilder AddPush(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<WebPushOptions>().Bind(builder.Configuration.GetSection("Nudge:Push"))
            .Validate(o => o.IsValid,
                "Nudge:Push: Subject must be a mailto: address or an https: URL, TimeToLive not negative, Timeout positive, TokenLifetime at most 24 hours")
            .ValidateOnStart();
        builder.Services.AddSingleton<PushSubscriptionStore>();
        builder.Services.AddSingleton<VapidKeyStore>();
        builder.Services.AddSingleton<WorkspaceVapidKeys>();
        // One sender for the process: it keeps each push service's VAPID token between sends. Pooled connections are
        // renewed every few minutes so a push service's DNS changes are seen; WebPushOptions.Timeout bounds each request.
        builder.Services.AddSingleton(sp => new WebPushSender(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<PushSubscriptionStore>(), sp.GetRequiredService<WorkspaceVapidKeys>(),
            sp.GetRequiredService<IOptions<WebPushOptions>>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy.AllowAnyOrigin().AllowAnyHeader().WithMethods("GET", "POST", "DELETE")));

        // A browser subscribes once per device; a page posting in a loop is stopped.
        var perMinute = builder.Configuration.GetValue("Nudge:Push:SubscriptionsPerMinutePerClient", 30);
        builder.Services.AddPerClientRateLimit(RatePolicy, perMinute, TimeSpan.FromMinutes(1));
        return builder;
    }

    public static IEndpointRouteBuilder MapPushApi(this IEndpointRouteBuilder app)
    {
        PushSubscriptionsApi.Map(app);
        PushScripts.Map(app);
        return app;
    }
}
