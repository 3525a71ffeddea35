using System.Threading.RateLimiting;

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
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, http => RateLimitPartition.GetTokenBucketLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });
    }
}
