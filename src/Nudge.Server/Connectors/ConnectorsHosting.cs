using System.Threading.RateLimiting;
using Nudge.Storage.Connectors;

namespace Nudge.Server.Connectors;

/// <summary>Wires the shop connectors into the host: the stores, the webhook endpoint's rate limit and the worker.</summary>
public static class ConnectorsHosting
{
    public static WebApplicationBuilder AddConnectors(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ConnectorOptions>()
            .Bind(builder.Configuration.GetSection("Nudge:Connectors"))
            .Configure(options => options.PublicUrl ??= builder.Configuration["Nudge:PublicUrl"])
            .ValidateDataAnnotations()
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.Lease > TimeSpan.Zero && o.RetryDelay >= TimeSpan.Zero,
                "Nudge:Connectors: PollInterval and Lease must be positive, RetryDelay not negative")
            .ValidateOnStart();
        builder.Services.AddSingleton<ConnectorStore>();
        builder.Services.AddSingleton<DeliveryStore>();
        builder.Services.AddSingleton<OrderBuyers>();
        builder.Services.AddSingleton<InventoryItems>();
        builder.Services.AddSingleton<ConnectorSignal>();
        builder.Services.AddSingleton<ConnectorCatalog>();
        builder.Services.AddHostedService<ConnectorWorker>();

        // Counted per connector, not per client address: a shop's webhooks come from many addresses of its platform.
        var permits = builder.Configuration.GetValue("Nudge:Connectors:RequestsPerSecondPerConnector", new ConnectorOptions().RequestsPerSecondPerConnector);
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(ShopWebhooksApi.RatePolicy, http => RateLimitPartition.GetTokenBucketLimiter(
                http.Request.RouteValues["connectorId"]?.ToString() ?? "",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = permits,
                    TokensPerPeriod = permits,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapShopWebhooks(this IEndpointRouteBuilder app)
    {
        ShopWebhooksApi.Map(app);
        return app;
    }
}
