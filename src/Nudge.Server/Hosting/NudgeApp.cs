using Microsoft.Extensions.Options;
using Nudge.Engine.Coupons;
using Nudge.Engine.Flows;
using Nudge.Engine.Partitions;
using Nudge.Engine.Profiles;
using Nudge.Engine.Segments;
using Nudge.Server.Admin;
using Nudge.Server.Connectors;
using Nudge.Server.Catalog;
using Nudge.Server.Consent;
using Nudge.Server.Coupons;
using Nudge.Server.Delivery;
using Nudge.Server.Demo;
using Nudge.Server.Health;
using Nudge.Server.Imports;
using Nudge.Server.Ingestion;
using Nudge.Server.Lists;
using Nudge.Server.Push;
using Nudge.Server.Sms;
using Nudge.Server.Webhooks;
using Nudge.Server.Templates;
using Nudge.Server.Tracking;
using Nudge.Storage;
using Nudge.Storage.Coupons;
using Nudge.Storage.Events;
using Nudge.Storage.Flows;
using Nudge.Storage.Keys;
using Nudge.Storage.Migrations;
using Nudge.Storage.Profiles;
using Nudge.Storage.Segments;
using Nudge.Storage.Timers;
using Orleans.Configuration;
using Orleans.Serialization;
using Scalar.AspNetCore;

namespace Nudge.Server.Hosting;

/// <summary>Builds the Nudge web host: storage, the Orleans silo, the APIs.</summary>
public static class NudgeApp
{
    public const string DefaultUrl = "http://localhost:5080";

    public static WebApplication Build(string[] args)
    {
        // appsettings.json ships next to the executable; ./data stays relative to where Nudge was started.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]) && string.IsNullOrEmpty(builder.Configuration["urls"]))
            builder.WebHost.UseUrls(DefaultUrl);

        builder.AddStorage();
        builder.AddEngine();
        builder.AddApis();
        builder.AddLists();
        builder.AddConsent();
        builder.AddPush();
        builder.AddSms();
        builder.AddWebhooks();
        builder.AddTemplates();
        builder.AddDelivery();
        builder.AddConnectors();
        builder.AddCoupons();
        builder.AddTracking();
        builder.AddImports();
        builder.AddCatalog();

        var app = builder.Build();
        app.UseCors();
        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapScalarApiReference("/api-reference");
        app.MapHealthApi();
        app.MapIngestionApi();
        app.MapAdminApi();
        app.MapListSignupApi();
        app.MapConsentPages();
        app.MapTrackingPages();
        app.MapPushApi();
        app.MapSmsApi();
        app.MapShopWebhooks();
        app.MapCatalogPublicApi();
        app.MapGet("/", () => Results.Redirect("/api-reference")).ExcludeFromDescription();
        return app;
    }

    private static void AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NudgeOptions>().Bind(builder.Configuration.GetSection("Nudge"));
        builder.Services.AddOptions<StorageOptions>().Bind(builder.Configuration.GetSection("Nudge:Storage"))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new Database(options.Provider, options.ConnectionString);
        });
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value);
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddSingleton<LogSignal>();
        builder.Services.AddSingleton<EventLog>();
        builder.Services.AddSingleton<EventReader>();
        builder.Services.AddSingleton<CursorStore>();
        builder.Services.AddSingleton<DerivedStateWriter>();
        builder.Services.AddSingleton<ProfileStore>();
        builder.Services.AddSingleton<KeyStore>();
        builder.Services.AddSingleton<SegmentStore>();
        builder.Services.AddSingleton<SegmentMembers>();
        builder.Services.AddSingleton<SegmentStateStore>();
        builder.Services.AddSingleton<SegmentBuildReads>();
        builder.Services.AddSingleton<SegmentBuildWrites>();
        builder.Services.AddSingleton<TimerStore>();
        builder.Services.AddSingleton<FlowStore>();
        builder.Services.AddSingleton<FlowRunStore>();
        builder.Services.AddSingleton<CouponStore>();

        // Registered before the silo: hosted services start in order, and the engine needs a migrated database.
        builder.Services.AddHostedService<StorageStartup>();
        builder.Services.AddHostedService<WalCheckpoints>();
    }

    private static void AddEngine(this WebApplicationBuilder builder)
    {
        var orleans = builder.Configuration.GetSection("Nudge:Orleans").Get<OrleansOptions>() ?? new OrleansOptions();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort);
            silo.Configure<GrainCollectionOptions>(collection => collection.CollectionAge = TimeSpan.FromMinutes(Math.Max(1, orleans.IdleMinutes)));
            // One silo hosts every grain, so the grain directory is this process's own table: a cache of where grains
            // live would only be a second copy of it, about 300 bytes per awake profile.
            silo.Configure<GrainDirectoryOptions>(directory => directory.CachingStrategy = GrainDirectoryOptions.CachingStrategyType.None);
            // Core's records cross grain calls as JSON: Core stays free of Orleans attributes.
            silo.Services.AddSerializer(serializer => serializer.AddJsonSerializer(
                isSupported: type => type.Namespace?.StartsWith("Nudge.Core", StringComparison.Ordinal) == true,
                jsonSerializerOptions: StorageJson.Options));
        });
        // Off, events are still logged (and acknowledged) but profiles wait: for bulk imports and for
        // measuring ingestion alone. Turned on again, the readers catch up from their cursors.
        builder.Services.AddSingleton<SegmentCatalog>();
        builder.Services.AddSingleton<SegmentBuilds>();
        // Before the readers: a grain must know every segment before it counts a single event.
        builder.Services.AddHostedService<SegmentCatalogStartup>();
        builder.Services.AddSingleton<FlowCatalog>();
        builder.Services.AddSingleton<IFlowCrashes, NoFlowCrashes>();
        builder.Services.AddSingleton<CouponAssigner>();
        builder.Services.AddSingleton<CouponRedemptions>();
        builder.Services.AddSingleton<FlowRecorder>();
        builder.Services.AddSingleton<FlowHost>();
        builder.Services.AddSingleton<ProfileEngine>();
        builder.Services.AddSingleton<Nudge.Server.Flows.FlowReferences>();
        builder.Services.AddHostedService<FlowCatalogStartup>();
        if (builder.Configuration.GetValue("Nudge:Engine:ProcessEvents", true))
        {
            builder.Services.AddHostedService<PartitionReaders>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SegmentBuilds>());
            builder.Services.AddHostedService<ProfileWakeUps>();
            builder.Services.AddHostedService<FlowSchedules>();
            builder.Services.AddHostedService<DateFlowArming>();
        }
        builder.Services.AddHostedService<DemoSeeder>();
    }

    private static void AddApis(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer<ApiSecurity>());
        builder.Services.AddIngestionCors();
        builder.Services.AddIngestionRateLimits(builder.Configuration);
        builder.Services.AddSingleton<WriteKeys>();
        builder.Services.AddSingleton<IngestionHandler>();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        });
    }
}
