using Nudge.Storage.Lists;

namespace Nudge.Server.Lists;

/// <summary>
/// Marks double opt-in requests nobody confirmed in time as expired, so their status says what their link does.
/// A click on an expired link is answered as expired even before the sweep got to it.
/// </summary>
public sealed partial class SignupExpiry(ListSignupStore signups, TimeProvider time, ILogger<SignupExpiry> logger) : BackgroundService
{
    /// <summary>How often pending requests are looked at.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Every, time, stoppingToken);
                var expired = await signups.ExpireDueAsync(time.GetUtcNow(), stoppingToken);
                if (expired > 0)
                    Log.Expired(logger, expired);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.SweepFailed(logger, ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "{Count} unconfirmed list signups expired")]
        public static partial void Expired(ILogger logger, int count);

        [LoggerMessage(Level = LogLevel.Error, Message = "Expiring unconfirmed list signups failed; trying again later")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
