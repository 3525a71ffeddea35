using Nudge.Server.Hosting;

namespace Nudge.Server.Ingestion;

/// <summary>
/// Public endpoints are rate limited per client address, so one abusive page cannot starve the shop's other
/// traffic. The default is far above what a shop's own trackers send.
/// </summary>
internal static class IngestionRateLimits
{
    public const string Policy = "tracking";

    public static IServiceCollection AddIngestionRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var perSecond = configuration.GetValue("Nudge:Ingestion:RequestsPerSecondPerClient", 2000);
        return services.AddPerClientRateLimit(Policy, perSecond, TimeSpan.FromSeconds(1));
    }
}
