using System.Threading.RateLimiting;

namespace Nudge.Server.Hosting;

/// <summary>Rate limits of public endpoints, counted per client address, answering 429 beyond the limit.</summary>
internal static class ClientRateLimits
{
    /// <summary>Adds <paramref name="policy"/>: each client address may make <paramref name="permits"/> requests per <paramref name="period"/>.</summary>
    public static IServiceCollection AddPerClientRateLimit(this IServiceCollection services, string policy, int permits, TimeSpan period) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(policy, http => RateLimitPartition.GetTokenBucketLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = permits,
                    TokensPerPeriod = permits,
                    ReplenishmentPeriod = period,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });
}
