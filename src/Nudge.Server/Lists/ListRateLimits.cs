using Nudge.Server.Hosting;

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
        return services.AddPerClientRateLimit(Policy, perMinute, TimeSpan.FromMinutes(1));
    }
}
