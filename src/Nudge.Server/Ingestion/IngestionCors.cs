namespace Nudge.Server.Ingestion;

/// <summary>Browser trackers post from the shop's own origin, so the tracking API answers any origin (no cookies).</summary>
internal static class IngestionCors
{
    public const string Policy = "tracking";

    public static IServiceCollection AddIngestionCors(this IServiceCollection services) =>
        services.AddCors(cors => cors.AddPolicy(Policy, policy => policy.AllowAnyOrigin().AllowAnyHeader().WithMethods("GET", "POST")));
}
