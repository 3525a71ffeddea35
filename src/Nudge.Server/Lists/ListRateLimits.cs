using System.Threading.RateLimiting;

namespace Nudge.Server.Lists;

/// <summary>
/// The public signup form and its confirmation links are limited per client address, far below the tracking API:
/// a person signs up once, a bot filling the form in a loop is stopped after a few tries.
/// </summary>
internal static class ListRateLimits
{
    public const string Policy = "list-signups";

    public static IServiceCollection AddListRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = configuration.GetValue("Nudge:Lists:SignupsPerMinutePerClient", 10);
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });
    }
}
