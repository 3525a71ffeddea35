using Nudge.Storage.Catalog;

namespace Nudge.Server.Catalog;

/// <summary>Wires the catalog into the host.</summary>
public static class CatalogHosting
{
    public static WebApplicationBuilder AddCatalog(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CatalogSignal>();
        builder.Services.AddSingleton<CatalogStore>();
        builder.Services.AddSingleton<ProductTypeStore>();
        builder.Services.AddSingleton<CatalogFeed>();
        return builder;
    }
}
