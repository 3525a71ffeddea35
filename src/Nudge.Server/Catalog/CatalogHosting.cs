using Nudge.Server.Hosting;
using Nudge.Storage.Catalog;

namespace Nudge.Server.Catalog;

/// <summary>Wires the catalog and its product signals into the host.</summary>
public static class CatalogHosting
{
    public static WebApplicationBuilder AddCatalog(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CatalogSignal>();
        builder.Services.AddSingleton<CatalogStore>();
        builder.Services.AddSingleton<ProductTypeStore>();
        builder.Services.AddSingleton<CatalogFeed>();
        builder.Services.AddSingleton<CatalogCursors>();
        builder.Services.AddSingleton<ProductInterestStore>();
        builder.Services.AddSingleton<ProductSignalStore>();
        builder.Services.AddSingleton<BackInStockStore>();
        builder.Services.AddSingleton<ProductSignals>();
        // Like the partition readers, signals follow Nudge__Engine__ProcessEvents (off during bulk imports; they catch up after).
        if (builder.Configuration.GetValue("Nudge:Engine:ProcessEvents", true))
            builder.Services.AddHostedService<ProductSignalsService>();

        builder.Services.AddCors(cors => cors.AddPolicy(BackInStockApi.CorsPolicy, policy => policy.AllowAnyOrigin().AllowAnyHeader().WithMethods("POST")));
        // A visitor asks about a few products; a page posting in a loop is stopped.
        var perMinute = builder.Configuration.GetValue("Nudge:Catalog:BackInStockRequestsPerMinutePerClient", 30);
        builder.Services.AddPerClientRateLimit(BackInStockApi.RatePolicy, perMinute, TimeSpan.FromMinutes(1));
        return builder;
    }

    public static IEndpointRouteBuilder MapCatalogPublicApi(this IEndpointRouteBuilder app)
    {
        BackInStockApi.Map(app);
        return app;
    }
}
