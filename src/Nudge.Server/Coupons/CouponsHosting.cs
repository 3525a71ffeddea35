using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Nudge.Storage.Connectors;

namespace Nudge.Server.Coupons;

/// <summary>Coupons: the template data of a run's code, pushes to the shop, and the Shopify adapter.</summary>
public static class CouponsHosting
{
    public static WebApplicationBuilder AddCoupons(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ShopifyOptions>().Bind(builder.Configuration.GetSection("Nudge:Shopify"))
            .Validate(o => (o.BaseUrl is null || o.BaseUrl.IsAbsoluteUri) && o.Timeout > TimeSpan.Zero && o.BatchPollAttempts > 0,
                "Nudge:Shopify: BaseUrl must be an absolute URL, Timeout positive and BatchPollAttempts at least 1")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<ConnectorStore>();
        builder.Services.AddSingleton<RunCoupons>();
        builder.Services.AddSingleton<CouponPublishing>();
        builder.Services.AddSingleton<IShopCoupons>(sp => new ShopifyCoupons(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<IOptions<ShopifyOptions>>(), sp.GetRequiredService<TimeProvider>()));
        return builder;
    }
}
